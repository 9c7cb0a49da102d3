using Imb.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Recovery;

/// <summary>A test's own JetStream request on a cluster that may still be electing after a restart: asked again until answered.</summary>
internal static class ClusterRequest
{
    public static async Task<T> AnsweredAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        T answer = default!;
        await Waiter.UntilAsync(
            async ct =>
            {
                try
                {
                    answer = await request(ct);
                    return true;
                }
                catch (Exception e) when (IsElecting(e) || e is ImbException { InnerException: { } inner } && IsElecting(inner))
                {
                    // No leader for the stream or the meta group yet.
                    return false;
                }
            },
            Waiter.Patience,
            "a JetStream answer from the cluster",
            cancellationToken);
        return answer;
    }

    private static bool IsElecting(Exception e) => e is NatsJSApiNoResponseException or NatsNoRespondersException or NatsJSApiException { Error.Code: 503 };
}
