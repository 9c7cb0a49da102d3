namespace Imb;

/// <summary>A snapshot of what the bus holds and has done: streams, subscriptions, publishing. The same shape in both modes.</summary>
public interface IImbStatistics
{
    /// <summary>Takes a snapshot; the stream figures come from the server (or the in-memory broker) now.</summary>
    /// <param name="cancellationToken">Cancels the stream queries.</param>
    /// <returns>The snapshot.</returns>
    ValueTask<ImbStatisticsSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);
}
