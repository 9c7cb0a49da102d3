using Imb.Connection;
using System.Text;
using Imb.Streams;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Publishing;

/// <summary>Refuses, before anything is sent, what the server would reject or mangle: bad subjects, headers and sizes.</summary>
internal static class MessageValidator
{
    /// <summary>The server rejects a header block over 64 KiB (<see cref="Connection.JetStreamErrorCodes.HeadersTooLarge"/>).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    public static void CheckSubject(string subject)
    {
        if (SubjectRules.CheckPublish(subject) is { } problem)
        {
            throw Invalid($"Cannot publish to subject '{Printable(subject)}': it {problem}.");
        }
    }

    /// <summary>Refuses a subscription pattern NATS would reject (wildcards allowed).</summary>
    public static void CheckSubscribeSubject(string subject)
    {
        if (SubjectRules.CheckFilter(subject) is { } problem)
        {
            throw Invalid($"Cannot subscribe to subject '{Printable(subject)}': it {problem}.");
        }
    }

    /// <summary>The bytes of the header block's framing ("NATS/1.0" line and closing blank line).</summary>
    public const int HeaderFramingBytes = 12;

    /// <summary>The bytes one header line takes: "Name: Value\r\n".</summary>
    public static int HeaderLineBytes(string name, string value) => LosslessUtf8Encoding.Instance.GetByteCount(name) + LosslessUtf8Encoding.Instance.GetByteCount(value) + 4;

    /// <summary>The bytes a message id adds to a header block: its line, and the framing if it is the only header.</summary>
    public static int MessageIdBytes(string messageId, bool otherHeaders) =>
        HeaderLineBytes(NatsHeaderNames.MessageId, messageId) + (otherHeaders ? 0 : HeaderFramingBytes);

    /// <summary>The bytes of a whole header block: <paramref name="headers"/> and the message id's line.</summary>
    public static int HeaderBytes(NatsHeaders headers, string messageId) =>
        MessageIdBytes(messageId, otherHeaders: false) + headers.Sum(h => h.Value.Sum(v => HeaderLineBytes(h.Key, v ?? string.Empty)));

    /// <summary>Validates and builds the headers; <paramref name="blockBytes"/> is the size of their block on the wire.</summary>
    public static NatsHeaders? BuildHeaders(string subject, IEnumerable<KeyValuePair<string, string>>? headers, out int blockBytes)
    {
        blockBytes = 0;
        if (headers is null)
        {
            return null;
        }

        var result = new NatsHeaders();
        var size = HeaderFramingBytes;
        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                throw Invalid($"Header name '{Printable(name)}' on subject {subject} is not a token of printable ASCII without ':' or spaces.");
            }

            if (name.StartsWith(NatsHeaderNames.ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"Header {name} on subject {subject} is reserved for the server; use PublishOptions (MessageId, Expected…) instead.");
            }

            if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw Invalid($"Header {name} on subject {subject} has a line break in its value, which would split the header block.");
            }

            size += HeaderLineBytes(name, value);
            result[name] = value;
        }

        blockBytes = size;
        return size > MaxHeaderBytes
            ? throw Invalid($"The headers of a message on subject {subject} take {size} bytes; the server accepts at most {MaxHeaderBytes}.")
            : result;
    }

    public static void CheckSize(string subject, int payloadBytes, int headerBytes, int maxPayload)
    {
        if (maxPayload > 0 && payloadBytes + headerBytes > maxPayload)
        {
            // Sending it would make the server close the connection; refuse it here and keep the connection.
            throw Invalid($"A message of {payloadBytes + headerBytes} bytes on subject {subject} is larger than the server's max_payload of {maxPayload} bytes.");
        }
    }

    public static void CheckMessageId(string subject, string messageId)
    {
        if (messageId.Length == 0 || messageId.Length > 256 || HasControl(messageId))
        {
            throw Invalid($"The message id for subject {subject} must be 1 to 256 characters without control characters.");
        }
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    public static NatsJSPubOpts BuildOptions(PublishOptions? options, string messageId) => new()
    {
        MsgId = messageId,
        ExpectedStream = options?.ExpectedStream,
        ExpectedLastSequence = options?.ExpectedLastSequence,
        ExpectedLastSubjectSequence = options?.ExpectedLastSubjectSequence,
        ExpectedLastMsgId = options?.ExpectedLastMessageId,
        // Imb retries itself, with a deadline: one attempt here (0 would send nothing), no wait before giving up.
        RetryAttempts = 1,
        RetryWaitBetweenAttempts = TimeSpan.FromMilliseconds(1),
    };

    private static string Printable(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static ImbException Invalid(string message) => new(message) { Kind = ImbErrorKind.Invalid };
}
