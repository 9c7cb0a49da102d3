namespace Imb.Subscribing;

/// <summary>
/// Reads delivery count, stream sequence and timestamp from a JetStream ack subject without allocating:
/// <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ns&gt;.&lt;pending&gt;</c>, or the
/// longer form with domain and account hash in front. NATS.Net's own metadata splits the subject into strings.
/// </summary>
internal static class AckSubject
{
    public static bool TryParse(string? replyTo, out int delivered, out ulong streamSequence, out DateTimeOffset timestamp)
    {
        delivered = 0;
        streamSequence = 0;
        timestamp = default;
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal))
        {
            return false;
        }

        Span<Range> tokens = stackalloc Range[16];
        var span = replyTo.AsSpan();
        var count = span.Split(tokens, '.');

        // 9 tokens: the original form; 11 or more: $JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>...
        var first = count == 9 ? 4 : count >= 11 ? 6 : -1;
        if (first < 0 ||
            !ulong.TryParse(span[tokens[first]], out var deliveredCount) ||
            !ulong.TryParse(span[tokens[first + 1]], out streamSequence) ||
            !long.TryParse(span[tokens[first + 3]], out var nanoseconds))
        {
            return false;
        }

        delivered = (int)Math.Min(deliveredCount, int.MaxValue);
        timestamp = DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
        return true;
    }
}
