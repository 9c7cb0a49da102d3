using Imb.Subscribing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb;

/// <summary>
/// Reports the connection, the server and every subscription: unhealthy when disconnected or when a subscription
/// has failed, degraded while one starts or recovers.
/// </summary>
internal sealed class ImbHealthCheck(IImbServerInfo server, SubscriptionHostedService subscriptions) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["servers"] = server.Servers,
            ["server_version"] = server.ServerVersion.ToString(),
            ["connected"] = server.IsConnected,
        };
        var worst = HealthStatus.Healthy;
        var problems = new List<string>();
        if (!server.IsConnected)
        {
            worst = HealthStatus.Unhealthy;
            problems.Add($"not connected to NATS at {server.Servers}");
        }

        foreach (var runner in subscriptions.Runners)
        {
            var status = runner.Status;
            var snapshot = status.Snapshot;
            var prefix = $"subscription.{status.Name}";
            data[$"{prefix}.state"] = snapshot.State.ToString();
            data[$"{prefix}.stream"] = status.Stream;
            data[$"{prefix}.consumer"] = status.Consumer;
            if (snapshot.Pending is { } pending)
            {
                data[$"{prefix}.pending"] = pending;
                data[$"{prefix}.ack_pending"] = snapshot.AckPending ?? 0;
            }

            if (snapshot.Error is { } error)
            {
                data[$"{prefix}.error"] = error;
            }

            var health = snapshot.State switch
            {
                SubscriptionState.Failed => HealthStatus.Unhealthy,
                SubscriptionState.Consuming => HealthStatus.Healthy,
                _ => HealthStatus.Degraded,
            };
            if (health != HealthStatus.Healthy)
            {
                problems.Add($"subscription {status.Name} is {snapshot.State}{(snapshot.Error is null ? string.Empty : ": " + snapshot.Error)}");
                worst = health < worst ? health : worst;
            }
        }

        var description = problems.Count == 0 ? $"Connected to {server.Servers}; {subscriptions.Runners.Count} subscriptions consuming" : string.Join("; ", problems);
        return Task.FromResult(new HealthCheckResult(worst, description, data: data));
    }
}
