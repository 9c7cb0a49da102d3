using Imb.Connection;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// The server's own consumer pause (nats-server 2.11+), behind <see cref="SubscriptionPause.OnServer"/>: it holds
/// deliveries for every instance sharing the durable consumer and outlives a host restart. Older servers have none,
/// and the pause then holds in this process only, which the log says.
/// </summary>
internal sealed class ConsumerPause(ImbConnection connection, SubscriptionStatus status, TimeProvider time)
{
    // Paused until resumed: the server wants a deadline, and keeps durations in int64 nanoseconds (about 292 years).
    private static readonly TimeSpan UntilResumed = TimeSpan.FromDays(100 * 365);

    public async Task<string> SetAsync(bool paused, CancellationToken cancellationToken)
    {
        if (!ServerFeatureGate.Supports(connection.ServerVersion, ServerFeature.ConsumerPause))
        {
            return $"in this process only: nats-server {connection.ServerVersion} at {connection.Servers} cannot pause a consumer itself " +
                $"(it needs {ServerFeature.ConsumerPause.MinimumVersion}), so other instances of consumer {status.Consumer} go on";
        }

        var action = paused ? "pause" : "resume";
        try
        {
            if (paused)
            {
                await connection.JetStream.PauseConsumerAsync(status.Stream, status.Consumer, time.GetUtcNow() + UntilResumed, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await connection.JetStream.ResumeConsumerAsync(status.Stream, status.Consumer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NatsJSApiException e)
        {
            throw new ImbException(
                $"The server at {connection.Servers} refused to {action} consumer {status.Consumer} of stream {status.Stream} (subscription {status.Name}): " +
                $"{e.Error.Description} (code {e.Error.Code}, err_code {e.Error.ErrCode}).", e)
            { Kind = ImbErrorKind.Consumer, ServerErrorCode = e.Error.ErrCode };
        }
        catch (Exception e) when (NatsFailures.IsNoAnswer(e))
        {
            throw new ImbException($"The server at {connection.Servers} did not answer the request to {action} consumer {status.Consumer} of stream {status.Stream} ({e.Message}).", e)
            { Kind = ImbErrorKind.Consumer };
        }

        return $"on the server too: consumer {status.Consumer} is {(paused ? "paused" : "resumed")} for every instance";
    }
}
