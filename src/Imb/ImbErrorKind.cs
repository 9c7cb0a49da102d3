namespace Imb;

/// <summary>What kind of failure an <see cref="ImbException"/> reports, so callers can react without parsing messages.</summary>
public enum ImbErrorKind
{
    /// <summary>Anything not listed below.</summary>
    Other,

    /// <summary>Configuration or input was refused before anything was sent (subject, header, payload).</summary>
    Invalid,

    /// <summary>No stream captures the subject, or the stream named does not exist.</summary>
    NoStream,

    /// <summary>The stream is full and refuses new messages (server err_code 10077).</summary>
    StreamFull,

    /// <summary>An optimistic-concurrency expectation (stream, last sequence, last message id) did not hold.</summary>
    ExpectationFailed,

    /// <summary>The server refused the message for another reason; see <see cref="ImbException.ServerErrorCode"/>.</summary>
    Rejected,

    /// <summary>No answer arrived in time, even after retries.</summary>
    Timeout,

    /// <summary>The handler answering a request failed; the message is its error.</summary>
    RemoteError,

    /// <summary>Nobody answers requests on the subject.</summary>
    NoResponders,

    /// <summary>A message that can never be handled (unreadable, invalid): a handler throws this kind to have it dead-lettered at once, without retries.</summary>
    Poison,

    /// <summary>A consumer is missing or cannot be created as declared.</summary>
    Consumer,
}
