using Imb.Server;
using Microsoft.Extensions.Logging;

namespace Imb.Tests.Server;

public sealed class ServerOutputForwarderTests
{
    [Theory]
    [InlineData("[2351] 2026/11/22 23:46:20.460315 [INF] Starting nats-server", LogLevel.Information, "Starting nats-server")]
    [InlineData("[2351] 2026/11/22 23:46:20.460315 [WRN] Slow consumer", LogLevel.Warning, "Slow consumer")]
    [InlineData("[2351] 2026/11/22 23:46:20.460315 [ERR] Error listening", LogLevel.Error, "Error listening")]
    [InlineData("[2351] 2026/11/22 23:46:20.460315 [FTL] Fatal", LogLevel.Critical, "Fatal")]
    [InlineData("[2351] 2026/11/22 23:46:20.460315 [DBG] detail", LogLevel.Debug, "detail")]
    [InlineData("nats-server: config file not found", LogLevel.Error, "nats-server: config file not found")]
    public void Parse_ServerLine_MapsLevelAndText(string line, LogLevel level, string text)
    {
        Assert.Equal((level, text), ServerOutputForwarder.Parse(line));
    }
}
