using Imb.DependencyInjection;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb;

/// <summary>
/// Reports the connection, the server, every subscription and the replicated streams: unhealthy when disconnected
/// or when a subscription has failed, degraded while one starts or recovers or while a stream's replica lags.
/// </summary>
internal sealed class ImbHealthCheck(IImbServerInfo server, ModeSelection mode, IOptions<ImbOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connected = !mode.UsesServer || server.IsConnected;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["servers"] = mode.UsesServer ? server.Servers : "in-memory",
            ["server_version"] = server.ServerVersion.ToString(),
            ["connected"] = connected,
        };
        var worst = HealthStatus.Healthy;
        var problems = new List<string>();
        var statuses = mode.Subscriptions.Statuses;
        if (!connected)
        {
            worst = HealthStatus.Unhealthy;
            problems.Add($"not connected to NATS at {server.Servers}");
        }

        foreach (var status in statuses)
        {
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

                // Paused on purpose: nothing is wrong, but the description says so.
                SubscriptionState.Paused => HealthStatus.Healthy,
                _ => HealthStatus.Degraded,
            };
            if (health != HealthStatus.Healthy)
            {
                problems.Add($"subscription {status.Name} is {snapshot.State}{(snapshot.Error is null ? string.Empty : ": " + snapshot.Error)}");
                worst = health < worst ? health : worst;
            }
        }

        if (connected && mode.UsesServer)
        {
            var streams = await ReplicaHealth.CheckAsync(mode.Topology, options.Value, data, problems, cancellationToken).ConfigureAwait(false);
            worst = streams < worst ? streams : worst;
        }

        var paused = statuses.Where(s => s.Snapshot.State == SubscriptionState.Paused).Select(s => s.Name).ToList();
        var description = problems.Count == 0
            ? $"Connected to {data["servers"]}; {statuses.Count - paused.Count} subscriptions consuming{(paused.Count == 0 ? string.Empty : $", paused: {string.Join(", ", paused)}")}"
            : string.Join("; ", problems);
        // Where Imb cannot work the registration says what to report (Imb:HealthCheck:FailureStatus).
        var reported = worst == HealthStatus.Unhealthy && context.Registration is { } registration ? registration.FailureStatus : worst;
        return new HealthCheckResult(reported, description, data: data);
    }
}
