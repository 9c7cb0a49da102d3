using Imb.Connection;
using Imb.Publishing;
using Imb.Streams;

namespace Imb.InMemory;

/// <summary>
/// An in-memory stream's limits and retention, as NATS applies them: message size, age, count, bytes and messages per
/// subject, with the discard policy; interest and work-queue retention, which remove a message once it is settled.
/// Each costs nothing on the publish path unless declared.
/// </summary>
internal sealed partial class InMemoryStream
{
    private const int MessageTooLarge = 10054;

    // Per subject, its sequences (oldest first) and how many of them are still held; only with MaxMessagesPerSubject.
    private Dictionary<string, SubjectMessages>? _bySubject;

    /// <summary>Tells the stream a consumer acked or terminated these messages; interest and work-queue streams then drop what is done.</summary>
    public void Settled(ReadOnlySpan<ulong> sequences, InMemoryConsumer by)
    {
        // Apart from the work below, whose lambdas would allocate their closure on every call, even with Limits.
        var options = Volatile.Read(ref _options);
        if (options.Retention != StreamRetention.Limits && !sequences.IsEmpty)
        {
            DropSettled(options, sequences, by);
        }
    }

    private void DropSettled(StreamOptions options, ReadOnlySpan<ulong> sequences, InMemoryConsumer by)
    {
        List<(ulong Sequence, string Subject)> candidates = [];
        InMemoryConsumer[] others;
        lock (_lock)
        {
            foreach (var sequence in sequences)
            {
                if (_log.Holds(sequence))
                {
                    candidates.Add((sequence, _log[sequence].Subject));
                }
            }

            others = [.. _consumers.Where(c => c != by)];
        }

        // Asked outside the stream's lock: a consumer takes its own lock and then the stream's, never the other way.
        var done = options.Retention == StreamRetention.WorkQueue
            ? candidates
            : [.. candidates.Where(c => others.All(o => o.HasSettled(c.Sequence, c.Subject)))];
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var (sequence, _) in done)
            {
                // Removed at most once: a message already gone is skipped.
                Remove(sequence, now);
            }
        }
    }

    /// <summary>Before an append: refuses what the limits forbid (discard new), or discards the oldest to make room (discard old).</summary>
    private void MakeRoom(StreamOptions options, string subject, int storedLength, long size, string? callerId, UInt128 generatedId, DateTimeOffset now)
    {
        if (options.MaxMessageSize >= 0 && storedLength > options.MaxMessageSize)
        {
            throw Refused(callerId ?? MessageIds.Format(generatedId), subject, MessageTooLarge, ImbErrorKind.Rejected, "message size exceeds maximum allowed");
        }

        ExpireByAge(options);
        if (options.MaxMessages > 0 && (long)_log.Count >= options.MaxMessages)
        {
            if (options.Discard == StreamDiscard.New)
            {
                throw Refused(callerId ?? MessageIds.Format(generatedId), subject, JetStreamErrorCodes.StreamFull, ImbErrorKind.StreamFull, "maximum messages exceeded");
            }

            DiscardOldest(now);
        }

        if (options.MaxBytes >= 0 && _bytes + size > options.MaxBytes)
        {
            if (options.Discard == StreamDiscard.New)
            {
                throw Refused(callerId ?? MessageIds.Format(generatedId), subject, JetStreamErrorCodes.StreamFull, ImbErrorKind.StreamFull, "maximum bytes exceeded");
            }

            while (_log.Count > 0 && _bytes + size > options.MaxBytes)
            {
                DiscardOldest(now);
            }
        }
    }

    /// <summary>After an append: the per-subject limit (always discarding that subject's oldest), and interest retention without interest.</summary>
    private void Stored(StreamOptions options, string subject, ulong sequence, DateTimeOffset now)
    {
        if (options.MaxMessagesPerSubject > 0)
        {
            _bySubject ??= new(StringComparer.Ordinal);
            if (!_bySubject.TryGetValue(subject, out var messages))
            {
                messages = new SubjectMessages();
                _bySubject[subject] = messages;
            }

            messages.Sequences.Enqueue(sequence);
            messages.Held++;
            while (messages.Held > options.MaxMessagesPerSubject && messages.Sequences.TryDequeue(out var oldest))
            {
                // A sequence removed another way is still queued (Removed counted it): skipped here.
                Remove(oldest, now);
            }
        }

        if (options.Retention == StreamRetention.Interest && !AnyConsumerWants(subject))
        {
            // As on NATS: a message nobody is interested in is stored and gone at once (its sequence is used).
            Remove(sequence, now);
        }
    }

    // A loop, not a lambda: a closure over the subject would be allocated on every append.
    private bool AnyConsumerWants(string subject)
    {
        foreach (var consumer in _consumers)
        {
            if (consumer.Wants(subject))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Discards messages older than MaxAge, oldest first (the log is in time order); reads the clock only if MaxAge is set.</summary>
    private void ExpireByAge(StreamOptions options)
    {
        if (options.MaxAge <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        while (_log.Count > 0 && now - _log[_log.First].Timestamp > options.MaxAge)
        {
            DiscardOldest(now);
        }
    }

    private void DiscardOldest(DateTimeOffset now) => Removed(_log.DiscardOldest(), now);

    private void Remove(ulong sequence, DateTimeOffset now)
    {
        if (!_log.Holds(sequence))
        {
            return;
        }

        if (sequence == _log.First)
        {
            DiscardOldest(now);
            return;
        }

        var message = _log[sequence];
        _log.Delete(sequence);
        Removed(message, now);
    }

    /// <summary>The accounting of every message that leaves the stream: bytes, the duplicate window, the per-subject count.</summary>
    private void Removed(in StoredMessage message, DateTimeOffset now)
    {
        _bytes -= StreamBytes.Of(_options.Storage, message);
        _duplicates.RememberDiscarded(message, now);
        if (_bySubject is not null && _bySubject.TryGetValue(message.Subject, out var messages))
        {
            messages.Held--;
        }
    }

    private sealed class SubjectMessages
    {
        public Queue<ulong> Sequences { get; } = new();

        public int Held { get; set; }
    }
}
