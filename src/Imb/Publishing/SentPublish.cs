using NATS.Client.JetStream;

namespace Imb.Publishing;

/// <summary>A publish on its way: the pending ack (<see langword="null"/> when it could not be sent), when it was sent, and the next reconnect after that.</summary>
/// <param name="Future">The first attempt's pending ack.</param>
/// <param name="At">When it was sent (<see cref="TimeProvider.GetTimestamp"/>).</param>
/// <param name="Restore">Completes when the connection is next restored: an ack owed from before then may never come.</param>
/// <param name="Batch">The fast-ingest batch it was sent in, instead of a future.</param>
/// <param name="Sequence">Its sequence in <paramref name="Batch"/>.</param>
internal readonly record struct SentPublish(NatsJSPublishConcurrentFuture? Future, long At, Task Restore, FastBatch? Batch = null, long Sequence = 0);
