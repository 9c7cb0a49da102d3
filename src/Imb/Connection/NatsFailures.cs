using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Connection;

/// <summary>How NATS.Net failures are classified, in one place: what may succeed on retry (error codes: <see cref="JetStreamErrorCodes"/>).</summary>
internal static class NatsFailures
{
    /// <summary>A request that ended without an answer; a permission violation ends this way too.</summary>
    public static bool IsNoAnswer(Exception e) =>
        e is NatsJSApiNoResponseException or NatsJSPublishNoResponseException or NatsNoReplyException or NatsNoRespondersException or TimeoutException;

    /// <summary>JetStream not there for the moment: no answer, or "temporarily unavailable" (a cluster without a meta leader yet; not any 503: a full stream is one too).</summary>
    public static bool IsUnavailable(Exception? e) => e is not null && (IsNoAnswer(e) || e is NatsJSApiException { Error.ErrCode: JetStreamErrorCodes.Unavailable });

    /// <summary>A failure that may pass: no answer, a timeout, or a lost connection.</summary>
    public static bool IsTransient(Exception e) =>
        IsNoAnswer(e) || e is OperationCanceledException or NatsJSTimeoutException or NatsTimeoutException or NatsJSConnectionException or NatsConnectionFailedException;
}
