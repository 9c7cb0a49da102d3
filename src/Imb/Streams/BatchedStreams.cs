using NATS.Client.JetStream.Models;

namespace Imb.Streams;

/// <summary>
/// The streams Imb provisioned that accept fast-ingest batches (allow_batched, as the server reports it), so the
/// publisher can tell which stream will store a subject. Written by provisioning, read on every enqueue.
/// </summary>
internal sealed class BatchedStreams
{
    private readonly Lock _gate = new();
    private Tracked[] _streams = [];

    public bool IsEmpty => Volatile.Read(ref _streams).Length == 0;

    /// <summary>Records what the server holds for a stream: tracked while its config allows batches, forgotten otherwise.</summary>
    public void Track(StreamConfig config)
    {
        var name = config.Name!;
        lock (_gate)
        {
            var others = _streams.Where(s => s.Stream != name);
            Volatile.Write(ref _streams, config.AllowBatchPublish ? [.. others, new Tracked(name, [.. config.Subjects ?? []])] : [.. others]);
        }
    }

    public void Forget(string stream)
    {
        lock (_gate)
        {
            Volatile.Write(ref _streams, [.. _streams.Where(s => s.Stream != stream)]);
        }
    }

    /// <summary>The batched stream whose subjects match <paramref name="subject"/>, or <see langword="null"/>.</summary>
    public string? StreamOf(string subject)
    {
        foreach (var (stream, subjects) in Volatile.Read(ref _streams))
        {
            foreach (var filter in subjects)
            {
                if (SubjectRules.Matches(filter, subject))
                {
                    return stream;
                }
            }
        }

        return null;
    }

    private sealed record Tracked(string Stream, string[] Subjects);
}
