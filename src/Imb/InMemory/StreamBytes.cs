using System.Text;
using Imb.Publishing;
using Imb.Streams;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>How many bytes a stored message counts for against a stream's size and <c>MaxBytes</c>, as nats-server counts them.</summary>
/// <remarks>
/// Measured on nats-server 2.9.10: a message with headers counts subject + header block + body, plus 34 bytes in a
/// file stream and 16 in a memory stream. Every Imb message has a header block: its Nats-Msg-Id travels in one.
/// </remarks>
internal static class StreamBytes
{
    // A generated id is 26 characters, and most messages carry nothing else: computed once.
    private static readonly int GeneratedIdOnly = MessageValidator.MessageIdBytes(new string('0', 26), otherHeaders: false);

    /// <summary>The bytes of the header block a message is stored with: its headers and its id.</summary>
    public static int HeaderBlock(NatsHeaders? headers, string? callerId) => headers is null
        ? callerId is null ? GeneratedIdOnly : MessageValidator.MessageIdBytes(callerId, otherHeaders: false)
        : MessageValidator.HeaderBytes(headers, callerId ?? "00000000000000000000000000");

    public static long Of(StreamStorage storage, string subject, int headerBlock, int bodyLength) =>
        (storage == StreamStorage.File ? 34 : 16) + Encoding.UTF8.GetByteCount(subject) + headerBlock + bodyLength;

    public static long Of(StreamStorage storage, in StoredMessage message) =>
        Of(storage, message.Subject, HeaderBlock(message.Headers, message.CallerId), message.Data.Length);
}
