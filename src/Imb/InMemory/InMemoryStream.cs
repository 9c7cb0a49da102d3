using Imb.Connection;
using Imb.Publishing;
using Imb.Streams;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>
/// A declared stream kept in memory with JetStream's publish semantics: the subjects it captures, de-duplication by
/// message id within the duplicate window, expectations, its limits and retention (InMemoryStream.Limits.cs) and its
/// administration (InMemoryStream.Admin.cs).
/// </summary>
/// <remarks>
/// Publishing is the hot path, so an append does the least it can under one lock: no dictionary entry for an id the
/// stream generates itself (generated ids increase along the log and are found by binary search), and the last
/// sequence per subject goes into its dictionary only when the subject changes.
/// </remarks>
internal sealed partial class InMemoryStream(string name, StreamOptions declared, MessageIds ids, TimeProvider time)
{
    private readonly Lock _lock = new();
    private StreamOptions _options = declared;
    private SubjectTransformer? _transform = TransformerOf(declared);
    private bool _deleted;
    private readonly MessageLog _log = new();
    private readonly PayloadArena _payloads = new();
    private readonly DuplicateWindow _duplicates = new(declared.DuplicateWindow);
    private readonly Dictionary<string, ulong> _lastBySubject = new(StringComparer.Ordinal);
    private readonly List<InMemoryConsumer> _sleepers = [];
    private readonly List<InMemoryConsumer> _consumers = [];
    private string? _lastSubject;
    private ulong _lastSubjectSequence;
    private UInt128 _lastGenerated;
    private string? _lastCallerId;
    private long _bytes;

    public string Name { get; } = name;

    /// <summary>Gets when the stream was created.</summary>
    public DateTimeOffset Created { get; } = time.GetUtcNow();

    /// <summary>Gets the subjects the stream captures.</summary>
    public IList<string> Subjects => Volatile.Read(ref _options).Subjects;

    /// <summary>Gets the newest message's sequence; read without the lock, so consumers can look before they sleep.</summary>
    public ulong LastSequence => _log.Last;

    /// <summary>Gets how many consumers sleep until the next append signals them.</summary>
    public int SleepingConsumers
    {
        get
        {
            lock (_lock)
            {
                return _sleepers.Count;
            }
        }
    }

    public bool Captures(string subject)
    {
        foreach (var filter in Subjects)
        {
            if (SubjectRules.Matches(filter, subject))
            {
                return true;
            }
        }

        return false;
    }

    public StoredMessage? Get(ulong sequence) => Locate(sequence) is ({ } segment, var index) ? segment[index] : null;

    /// <summary>Where a held message's slot is, or a null segment when the stream no longer holds it.</summary>
    public (StoredMessage[]? Segment, int Index) Locate(ulong sequence)
    {
        lock (_lock)
        {
            return _log.Holds(sequence) ? _log.Locate(sequence) : (null, 0);
        }
    }

    /// <summary>Up to <paramref name="max"/> held messages from <paramref name="from"/> on, read in place once the lock is left.</summary>
    /// <remarks>
    /// Taken under the lock on purpose: measured, a consumer reading lock-free right behind the publisher shares its
    /// cache lines and takes smaller batches, and both go slower.
    /// </remarks>
    public LogSlice Read(ulong from, int max)
    {
        lock (_lock)
        {
            ExpireByAge(_options);
            var (first, second) = _log.Slice(from, max);
            var deleted = first.Count == 0 ? null : _log.DeletedBetween(first.Array![first.Offset].Sequence, LastOf(first, second));
            return new LogSlice(first, second, deleted);
        }
    }

    private static ulong LastOf(ArraySegment<StoredMessage> first, ArraySegment<StoredMessage> second) =>
        second.Count > 0 ? second.Array![second.Offset + second.Count - 1].Sequence : first.Array![first.Offset + first.Count - 1].Sequence;

    /// <summary>
    /// Registers a consumer that has everything up to <paramref name="sequence"/> to be signalled by the next append;
    /// false (not registered) when newer messages are already here.
    /// </summary>
    public bool SleepAfter(ulong sequence, InMemoryConsumer consumer)
    {
        lock (_lock)
        {
            if (_log.Last > sequence)
            {
                return false;
            }

            if (!_sleepers.Contains(consumer))
            {
                _sleepers.Add(consumer);
            }

            return true;
        }
    }

    /// <summary>Stores a message; <paramref name="callerId"/> is the publisher's id, or null for one the stream generates.</summary>
    public PublishAck Append(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? callerId, PublishOptions? expect, out UInt128 generatedId)
    {
        InMemoryConsumer[] toWake;
        ulong sequence;
        lock (_lock)
        {
            if (_deleted)
            {
                throw new ImbException($"Stream {Name} was deleted; no stream in memory stores subject {subject} now.") { Kind = ImbErrorKind.NoStream };
            }

            var options = _options;
            subject = _transform?.Apply(subject) ?? subject;
            var now = time.GetUtcNow();
            _duplicates.Expire(now);
            generatedId = callerId is null ? ids.NewValueAfter(_lastGenerated, now) : _lastGenerated;
            if (callerId is not null && IsDuplicate(callerId, now, out var seen))
            {
                return new PublishAck(Name, seen, true);
            }

            if (expect is { ExpectedStream: not null } or { ExpectedLastSequence: not null } or { ExpectedLastSubjectSequence: not null } or { ExpectedLastMessageId: not null })
            {
                CheckExpectations(subject, callerId ?? MessageIds.Format(generatedId), expect);
            }

            var headerBytes = StreamBytes.HeaderBlock(headers, callerId);
            var size = StreamBytes.Of(options.Storage, subject, headerBytes, data.Length);
            MakeRoom(options, subject, headerBytes + data.Length, size, callerId, generatedId, now);
            sequence = _log.Last + 1;
            _log.Append(new StoredMessage(sequence, subject, _payloads.Copy(data.Span), headers, callerId, generatedId, now));
            _bytes += size;
            if (callerId is null)
            {
                _lastGenerated = generatedId;
            }
            else
            {
                _duplicates.Remember(callerId, sequence, now);
            }

            _lastCallerId = callerId;
            RecordLastOnSubject(subject, sequence);
            Stored(options, subject, sequence, now);
            toWake = TakeSleepers();
        }

        foreach (var consumer in toWake)
        {
            consumer.Signal();
        }

        return new PublishAck(Name, sequence, false);
    }

    private static SubjectTransformer? TransformerOf(StreamOptions declared) =>
        declared.SubjectTransform is { } transform ? SubjectTransformer.Create(transform) : null;

    private InMemoryConsumer[] TakeSleepers()
    {
        if (_sleepers.Count == 0)
        {
            return [];
        }

        // A new array (only when someone sleeps): it is signalled outside the lock while other publishers go on.
        InMemoryConsumer[] toWake = [.. _sleepers];
        _sleepers.Clear();
        return toWake;
    }

    /// <summary>A caller's id seen within the window, including one Imb generated that the caller publishes again.</summary>
    private bool IsDuplicate(string callerId, DateTimeOffset now, out ulong sequence)
    {
        if (_duplicates.TryFind(callerId, out sequence))
        {
            return true;
        }

        if (!MessageIds.TryParse(callerId, out var generated))
        {
            return false;
        }

        if (_duplicates.TryFindDiscarded(generated, now, out sequence))
        {
            return true;
        }

        sequence = _log.LowerBound(generated);
        return _log.Holds(sequence) && _log[sequence] is { CallerId: null } stored && stored.GeneratedId == generated &&
            now - stored.Timestamp <= _duplicates.Window;
    }

    /// <summary>Remembers the last sequence per subject, touching the dictionary only when the subject changes.</summary>
    private void RecordLastOnSubject(string subject, ulong sequence)
    {
        if (!ReferenceEquals(subject, _lastSubject) && _lastSubject is not null)
        {
            _lastBySubject[_lastSubject] = _lastSubjectSequence;
        }

        _lastSubject = subject;
        _lastSubjectSequence = sequence;
    }

    private ulong LastOnSubject(string subject) =>
        subject == _lastSubject ? _lastSubjectSequence : _lastBySubject.GetValueOrDefault(subject);
}
