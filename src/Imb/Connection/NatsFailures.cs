using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Connection;

/// <summary>How NATS.Net failures are classified, in one place: what may succeed on retry, and the server's JetStream error codes.</summary>
internal static class NatsFailures
{
    public const int StreamNameInUse = 10058;
    public const int StreamNotFound = 10059;
    public const int StreamFull = 10077;

    /// <summary>Expected stream (10060), last message id (10070) and last sequence (10071) mismatches.</summary>
    public static readonly int[] ExpectationFailed = [10060, 10070, 10071];

    /// <summary>A request that ended without an answer; a permission violation ends this way too.</summary>
    public static bool IsNoAnswer(Exception e) =>
        e is NatsJSApiNoResponseException or NatsJSPublishNoResponseException or NatsNoReplyException or NatsNoRespondersException or TimeoutException;

    /// <summary>A failure that may pass: no answer, a timeout, or a lost connection.</summary>
    public static bool IsTransient(Exception e) =>
        IsNoAnswer(e) || e is OperationCanceledException or NatsJSTimeoutException or NatsTimeoutException or NatsJSConnectionException or NatsConnectionFailedException;
}
