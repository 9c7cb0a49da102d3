using System.Globalization;
using Imb;

namespace Gdc.Pipeline;

/// <summary>Prints Imb's statistics snapshot: what each stream holds, what each subscription did, and the publisher's totals.</summary>
internal static class StatisticsReport
{
    public static async Task PrintAsync(IImbStatistics statistics, CancellationToken cancellationToken)
    {
        var snapshot = await statistics.GetSnapshotAsync(cancellationToken);
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine("statistics:");
        foreach (var stream in snapshot.Streams.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var held = stream.Messages == 0 ? "empty" : string.Create(invariant, $"{stream.Messages} messages, {stream.Bytes} bytes, sequences {stream.FirstSequence}..{stream.LastSequence}");
            Console.WriteLine(string.Create(invariant, $"  stream {stream.Name}: {held}, {stream.ConsumerCount} consumers"));
        }

        foreach (var s in snapshot.Subscriptions.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(
                invariant,
                $"  subscription {s.Name} ({s.State}): handled {s.Handled} ({s.HandledPerSecond:F0}/s over the last minute), failed {s.Failed}, dead-lettered {s.DeadLettered}, pending {s.Pending?.ToString(invariant) ?? "?"}, ack pending {s.AckPending?.ToString(invariant) ?? "?"}"));
        }

        var p = snapshot.Publishing;
        Console.WriteLine(string.Create(invariant, $"  publishing: stored {p.Stored}, refused {p.Refused}, awaiting ack {p.AwaitingAck}"));
    }
}
