using Microsoft.Extensions.Logging;

namespace Imb.Server;

/// <summary>Forwards nats-server's output lines to <see cref="ILogger"/> at their own level, and keeps the last few for error messages.</summary>
internal sealed class ServerOutputForwarder
{
    private const int RememberedLines = 8;
    private readonly ILogger _logger;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();

    public ServerOutputForwarder(ILogger logger) => _logger = logger;

    public string LastLines
    {
        get
        {
            lock (_gate)
            {
                return _lastLines.Count == 0 ? "(none)" : string.Join(" | ", _lastLines);
            }
        }
    }

    public async Task PumpAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var (level, text) = Parse(line);
            _logger.ServerOutput(level, text);
            lock (_gate)
            {
                _lastLines.Enqueue(text);
                if (_lastLines.Count > RememberedLines)
                {
                    _lastLines.Dequeue();
                }
            }
        }
    }

    /// <summary>Parses "[pid] date time [LVL] text"; a line without a level tag (a fatal start error) is an error.</summary>
    internal static (LogLevel Level, string Text) Parse(string line)
    {
        var open = line.IndexOf("] [", StringComparison.Ordinal);
        var tagStart = open < 0 ? line.IndexOf(" [", StringComparison.Ordinal) : open + 1;
        if (tagStart >= 0 && line.Length >= tagStart + 6 && line[tagStart + 1] == '[' && line[tagStart + 5] == ']')
        {
            var level = line.Substring(tagStart + 2, 3) switch
            {
                "TRC" => LogLevel.Trace,
                "DBG" => LogLevel.Debug,
                "INF" => LogLevel.Information,
                "WRN" => LogLevel.Warning,
                "ERR" => LogLevel.Error,
                "FTL" => LogLevel.Critical,
                _ => (LogLevel?)null,
            };
            if (level is { } known)
            {
                return (known, line[(tagStart + 6)..].TrimStart());
            }
        }

        return (LogLevel.Error, line);
    }
}
