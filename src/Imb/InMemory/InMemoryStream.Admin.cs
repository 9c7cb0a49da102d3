using Imb.Streams;

namespace Imb.InMemory;

/// <summary>What the topology does to an in-memory stream: its state, a changed declaration, purge, delete, its consumers.</summary>
internal sealed partial class InMemoryStream
{
    /// <summary>Gets how many messages the stream holds, their bytes, and its first and last sequence.</summary>
    public (long Messages, long Bytes, ulong First, ulong Last) State
    {
        get
        {
            lock (_lock)
            {
                ExpireByAge(_options);
                return ((long)_log.Count, _bytes, _log.First, _log.Last);
            }
        }
    }

    /// <summary>Gets how many durable consumers read the stream.</summary>
    public int ConsumerCount
    {
        get
        {
            lock (_lock)
            {
                return _consumers.Count;
            }
        }
    }

    /// <summary>Registers a durable consumer: interest retention keeps a message until every consumer that wants it settled it.</summary>
    public void Attach(InMemoryConsumer consumer)
    {
        lock (_lock)
        {
            _consumers.Add(consumer);
        }
    }

    /// <summary>Applies a changed declaration; storage and retention cannot change in place, as on NATS.</summary>
    public void Reconfigure(StreamOptions declared)
    {
        lock (_lock)
        {
            if (declared.Storage != _options.Storage || declared.Retention != _options.Retention)
            {
                var field = declared.Storage != _options.Storage ? "Storage" : "Retention";
                throw new ImbException($"Stream {Name} cannot change its {field} in place; delete and re-create it.") { Kind = ImbErrorKind.Invalid };
            }

            _duplicates.Window = declared.DuplicateWindow;
            _bySubject = declared.MaxMessagesPerSubject > 0 ? _bySubject : null;
            _transform = TransformerOf(declared);
            Volatile.Write(ref _options, declared);
        }
    }

    /// <summary>Removes every message; sequences go on from where they were, as a purged NATS stream's do.</summary>
    public long Purge()
    {
        InMemoryConsumer[] toWake;
        long purged;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            purged = (long)_log.Count;
            while (_log.Count > 0)
            {
                DiscardOldest(now);
            }

            toWake = TakeSleepers();
        }

        foreach (var consumer in toWake)
        {
            consumer.Signal();
        }

        return purged;
    }

    /// <summary>Marks the stream deleted: a publish that still reaches it fails as one to no stream.</summary>
    public void Delete()
    {
        lock (_lock)
        {
            _deleted = true;
            _consumers.Clear();
        }
    }

    /// <summary>The sequence of the last held message on each subject matching any of <paramref name="filters"/> (all when empty), and the last sequence they were taken from (a LastPerSubject start).</summary>
    public (SortedSet<ulong> Sequences, ulong Through) LastPerSubject(IReadOnlyList<string> filters)
    {
        lock (_lock)
        {
            var last = new Dictionary<string, ulong>(StringComparer.Ordinal);
            for (var sequence = _log.First; sequence <= _log.Last; sequence++)
            {
                if (_log.Holds(sequence) && _log[sequence].Subject is var subject && (filters.Count == 0 || InMemoryConsumer.Matches(filters, subject)))
                {
                    last[subject] = sequence;
                }
            }

            return ([.. last.Values], _log.Last);
        }
    }
}
