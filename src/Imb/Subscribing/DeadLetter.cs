using System.Globalization;
using Imb.Publishing;
using Imb.Streams;
using NATS.Client.Core;

namespace Imb.Subscribing;

/// <summary>
/// A dead letter as both transports write it: to <c>imb.dlq.&lt;stream&gt;.&lt;consumer&gt;</c>, the original body
/// unchanged, the original headers with the <c>Imb-Dlq-*</c> headers added, under an id of its own.
/// </summary>
/// <param name="Subject">Where it goes.</param>
/// <param name="MessageId">Its id: one per dead-lettering of one stored message, so a retried write is a duplicate, not a second letter.</param>
/// <param name="Headers">The headers it carries, <c>Nats-Msg-Id</c> not among them.</param>
/// <param name="Data">The original body.</param>
/// <param name="Reason">Why, on one line.</param>
internal sealed record DeadLetter(string Subject, string MessageId, NatsHeaders Headers, ReadOnlyMemory<byte> Data, string Reason)
{
    private const int MaxReasonLength = 1000;

    /// <summary>Builds the dead letter of a message a subscription of <paramref name="source"/> gave up on.</summary>
    public static DeadLetter For(ReceivedMessage message, DeliverySource source, string reason)
    {
        var headers = new NatsHeaders();
        if (message.NatsHeaders is { } original)
        {
            foreach (var (name, value) in original)
            {
                // The id gets a new value; expectations and rollups were instructions to the original stream.
                if (!name.Equals(NatsHeaderNames.MessageId, StringComparison.OrdinalIgnoreCase) &&
                    !name.StartsWith(NatsHeaderNames.ExpectedPrefix, StringComparison.OrdinalIgnoreCase) &&
                    !name.Equals(NatsHeaderNames.Rollup, StringComparison.OrdinalIgnoreCase))
                {
                    headers[name] = value;
                }
            }
        }

        var line = OneLine(reason);
        headers["Imb-Dlq-Stream"] = source.Stream;
        headers["Imb-Dlq-Sequence"] = message.StreamSequence.ToString(CultureInfo.InvariantCulture);
        headers["Imb-Dlq-Subject"] = message.Subject;
        headers["Imb-Dlq-Consumer"] = source.Consumer;
        headers["Imb-Dlq-Deliveries"] = message.DeliveryCount.ToString(CultureInfo.InvariantCulture);
        headers["Imb-Dlq-Reason"] = line;
        var id = string.Create(CultureInfo.InvariantCulture, $"dlq:{source.Stream}:{source.Consumer}:{message.StreamSequence}");
        return new DeadLetter(DeadLetterSubjects.For(source.Stream, source.Consumer), id, headers, message.Data, line);
    }

    /// <summary>Flattens a reason to one line of bounded length, as a header value must be.</summary>
    public static string OneLine(string reason)
    {
        var line = reason.ReplaceLineEndings(" ");
        return line.Length <= MaxReasonLength ? line : string.Concat(line.AsSpan(0, MaxReasonLength - 1), "...");
    }
}
