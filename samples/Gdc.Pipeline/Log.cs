using Microsoft.Extensions.Logging;

namespace Gdc.Pipeline;

internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Gdc.Pipeline is up on nats-server {ServerVersion} at {Servers}; press Ctrl+C to stop")]
    public static partial void Ready(this ILogger logger, Version serverVersion, string servers);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "The load run stalled: {Missing} pins did not complete, and nothing moved for {Limit}")]
    public static partial void LoadStalled(this ILogger logger, long missing, TimeSpan limit);
}
