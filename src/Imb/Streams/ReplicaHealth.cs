using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.Streams;

/// <summary>
/// The health of the declared streams that are replicated: each needs a leader, and is Degraded while a follower lags
/// or is unreachable (a further loss could then cost the stream its quorum, or acknowledged messages).
/// </summary>
internal static class ReplicaHealth
{
    public static async Task<HealthStatus> CheckAsync(
        IImbTopology topology, ImbOptions options, IDictionary<string, object> data, ICollection<string> problems, CancellationToken cancellationToken)
    {
        var worst = HealthStatus.Healthy;
        foreach (var (name, declared) in options.Streams)
        {
            if (declared.Replicas <= 1)
            {
                continue;
            }

            var prefix = $"stream.{name}";
            try
            {
                var stream = await topology.GetStreamAsync(name, cancellationToken).ConfigureAwait(false);
                var current = stream.Replicas.Count(r => r.Current && !r.Offline);
                data[$"{prefix}.leader"] = stream.Leader ?? "none";
                data[$"{prefix}.replicas_current"] = $"{current}/{stream.Replicas.Count}";
                if (stream.Leader is null)
                {
                    problems.Add($"stream {name} has no leader");
                    worst = HealthStatus.Degraded;
                }
                else if (!stream.ReplicasCurrent)
                {
                    var behind = stream.Replicas.Where(r => !r.Current || r.Offline).Select(r => r.Offline ? $"{r.Name} (offline)" : $"{r.Name} ({r.Lag} behind)");
                    problems.Add($"stream {name}: replicas not current: {string.Join(", ", behind)}");
                    worst = HealthStatus.Degraded;
                }
            }
            catch (Exception e) when (e is ImbException or TimeoutException or NATS.Client.Core.NatsException && !cancellationToken.IsCancellationRequested)
            {
                // Electing, or the server is away: the connection check says which.
                data[$"{prefix}.leader"] = "unknown";
                problems.Add($"stream {name} could not be read: {e.Message}");
                worst = HealthStatus.Degraded;
            }
        }

        return worst;
    }
}
