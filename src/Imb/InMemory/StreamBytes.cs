using System.Text;
using Imb.Publishing;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>How many bytes a stored message counts for against a stream's size and <c>MaxBytes</c>.</summary>
internal static class StreamBytes
{
    // Per-message overhead as nats-server counts it for a stored message (sequence and timestamp).
    private const int Overhead = 16;

    // A generated id is 26 characters, and most messages carry nothing else: computed once.
    private static readonly int GeneratedIdOnly = MessageValidator.MessageIdBytes(new string('0', 26), otherHeaders: false);

    public static long Of(string subject, int dataLength, NatsHeaders? headers, string? callerId)
    {
        var headerBytes = headers is null
            ? callerId is null ? GeneratedIdOnly : MessageValidator.MessageIdBytes(callerId, otherHeaders: false)
            : MessageValidator.HeaderBytes(headers, callerId ?? "00000000000000000000000000");
        return Overhead + Encoding.UTF8.GetByteCount(subject) + headerBytes + dataLength;
    }
}
