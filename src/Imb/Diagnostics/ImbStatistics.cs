using Imb.DependencyInjection;

namespace Imb.Diagnostics;

/// <summary>The statistics from what both modes already keep: the topology, each subscription's status and counters, the publish totals.</summary>
internal sealed class ImbStatistics(ModeSelection mode, Subscribing.SubscriptionEvents events, PublishMetrics publishing, TimeProvider time) : IImbStatistics
{
    public async ValueTask<ImbStatisticsSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var streams = await mode.Topology.ListStreamsAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = mode.Subscriptions.Statuses.Select(status =>
        {
            var snapshot = status.Snapshot;
            var counters = events.CountersOf(status.Name);
            return new SubscriptionStatistics(
                status.Name, status.Stream, status.Consumer, snapshot.State.ToString(), counters.Handled, counters.Failed, counters.DeadLettered,
                snapshot.Pending, snapshot.AckPending, counters.LastError ?? snapshot.Error, counters.LastHandledAt, counters.HandledPerSecond);
        }).ToList();
        var (stored, refused) = publishing.Totals;
        return new ImbStatisticsSnapshot(time.GetUtcNow(), streams, subscriptions, new PublishingStatistics(stored, refused, mode.PublishWindow));
    }
}
