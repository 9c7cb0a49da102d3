namespace Imb;

/// <summary>What <see cref="IImbStatistics"/> saw at one moment.</summary>
/// <param name="TakenAt">When the snapshot was taken.</param>
/// <param name="Streams">Every stream on the server (or in memory), as <see cref="IImbTopology.ListStreamsAsync"/> lists them.</param>
/// <param name="Subscriptions">Every hosted subscription of this service.</param>
/// <param name="Publishing">This service's publishing since its host started.</param>
public sealed record ImbStatisticsSnapshot(
    DateTimeOffset TakenAt, IReadOnlyList<StreamSummary> Streams, IReadOnlyList<SubscriptionStatistics> Subscriptions, PublishingStatistics Publishing);

/// <summary>One subscription: its state, what it settled since the host started, and its consumer's counts.</summary>
/// <param name="Name">The subscription's name.</param>
/// <param name="Stream">The stream it consumes.</param>
/// <param name="Consumer">Its consumer.</param>
/// <param name="State">Its state now (Consuming, Paused, Recovering, ...).</param>
/// <param name="Handled">Messages handled and acknowledged.</param>
/// <param name="Failed">Deliveries whose handler failed and that were retried.</param>
/// <param name="DeadLettered">Messages written to the dead letters.</param>
/// <param name="Pending">Messages its consumer has not delivered yet (on a server, as of the last consumer check); <see langword="null"/> before the first.</param>
/// <param name="AckPending">Messages delivered and not yet acknowledged (likewise).</param>
/// <param name="LastError">The last failure: a handler's, else the subscription's own (connection, consumer).</param>
/// <param name="LastHandledAt">When it last acknowledged a message.</param>
/// <param name="HandledPerSecond">Messages handled per second over the last minute.</param>
public sealed record SubscriptionStatistics(
    string Name, string Stream, string Consumer, string State, long Handled, long Failed, long DeadLettered, ulong? Pending, ulong? AckPending,
    string? LastError, DateTimeOffset? LastHandledAt, double HandledPerSecond);

/// <summary>Publishing since the host started, awaited and enqueued together.</summary>
/// <param name="Stored">Messages a stream stored (or answered as duplicates).</param>
/// <param name="Refused">Messages a stream refused, or that failed after their retries.</param>
/// <param name="AwaitingAck">Enqueued messages sent and awaiting their ack now.</param>
public sealed record PublishingStatistics(long Stored, long Refused, int AwaitingAck);
