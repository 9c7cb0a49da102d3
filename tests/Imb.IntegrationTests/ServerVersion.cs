using Imb.Connection;
using NATS.Client.Core;

namespace Imb.IntegrationTests;

/// <summary>The version a server reports: what a test may expect of a feature depends on it.</summary>
internal static class ServerVersion
{
    public static async Task<Version> OfAsync(string url)
    {
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = url });
        await connection.ConnectAsync();
        return ServerFeatureGate.ParseVersion(connection.ServerInfo?.Version);
    }
}
