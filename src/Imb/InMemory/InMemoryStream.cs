using Imb.Connection;
using Imb.Publishing;
using Imb.Streams;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>
/// A declared stream kept in memory with JetStream's publish semantics: the subjects it captures, de-duplication by
/// message id within the duplicate window, expectations, and the message limit with its discard policy.
/// </summary>
internal sealed class InMemoryStream(string name, StreamOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    // Fixed-size segments, so a long stream never grows (and copies) one huge array: message n lives at offset
    // n - _baseSequence; the first segment goes once every message in it is discarded.
    private const int SegmentSize = 8192;
    private readonly List<StoredMessage[]> _segments = [];
    private readonly PayloadArena _payloads = new();
    private ulong _baseSequence = 1;
    private ulong _firstSequence = 1;
    // Ids seen within the duplicate window: callers' ids as text, generated ones as values (no string per message).
    private readonly Dictionary<string, ulong> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, ulong> _generatedIds = [];
    private readonly Queue<(string? Id, UInt128 Generated, DateTimeOffset At)> _idsByAge = new();
    private readonly Dictionary<string, ulong> _lastBySubject = new(StringComparer.Ordinal);
    private InMemoryConsumer[] _consumers = [];
    private ulong _lastSequence;
    private (string? CallerId, UInt128 Generated)? _lastMessageIdValue;

    public string Name { get; } = name;

    public ulong LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    public bool Captures(string subject)
    {
        foreach (var filter in options.Subjects)
        {
            if (SubjectRules.Matches(filter, subject))
            {
                return true;
            }
        }

        return false;
    }

    public void Attach(InMemoryConsumer consumer)
    {
        lock (_lock)
        {
            // Copied on write: publishing wakes consumers from a snapshot, outside the lock.
            _consumers = [.. _consumers, consumer];
        }
    }

    public StoredMessage? Get(ulong sequence)
    {
        lock (_lock)
        {
            if (sequence < _firstSequence || sequence > _lastSequence)
            {
                return null;
            }

            var offset = sequence - _baseSequence;
            return _segments[(int)(offset / SegmentSize)][(int)(offset % SegmentSize)];
        }
    }

    /// <summary>Stores a message; <paramref name="callerId"/> is the publisher's id, or null for <paramref name="generatedId"/>.</summary>
    public PublishAck Append(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? callerId, UInt128 generatedId, PublishOptions? expect)
    {
        InMemoryConsumer[] consumers;
        ulong sequence;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_idsByAge.TryPeek(out var oldest) && now - oldest.At > options.DuplicateWindow)
            {
                var expired = _idsByAge.Dequeue();
                _ = expired.Id is { } id ? _ids.Remove(id) : _generatedIds.Remove(expired.Generated);
            }

            // A caller may reuse an id Imb generated (republishing a received message): look it up in both forms.
            if ((callerId is not null && _ids.TryGetValue(callerId, out var seen)) ||
                (callerId is null ? _generatedIds.TryGetValue(generatedId, out seen) : MessageIds.TryParse(callerId, out var value) && _generatedIds.TryGetValue(value, out seen)))
            {
                return new PublishAck(Name, seen, true);
            }

            CheckExpectations(subject, callerId, generatedId, expect);
            if (options.MaxMessages > 0 && (long)(_lastSequence + 1 - _firstSequence) >= options.MaxMessages)
            {
                if (options.Discard == StreamDiscard.New)
                {
                    throw Refused(callerId ?? MessageIds.Format(generatedId), subject, NatsFailures.StreamFull, ImbErrorKind.StreamFull, "maximum messages exceeded");
                }

                DiscardOldest();
            }

            sequence = ++_lastSequence;
            var offset = sequence - _baseSequence;
            if (offset / SegmentSize == (ulong)_segments.Count)
            {
                _segments.Add(new StoredMessage[SegmentSize]);
            }

            _segments[(int)(offset / SegmentSize)][(int)(offset % SegmentSize)] = new StoredMessage(sequence, subject, _payloads.Copy(data.Span), headers, callerId, generatedId, now);
            if (callerId is not null)
            {
                _ids[callerId] = sequence;
            }
            else
            {
                _generatedIds[generatedId] = sequence;
            }

            _idsByAge.Enqueue((callerId, generatedId, now));
            _lastBySubject[subject] = sequence;
            _lastMessageIdValue = (callerId, generatedId);
            consumers = _consumers;
        }

        foreach (var consumer in consumers)
        {
            consumer.Wake();
        }

        return new PublishAck(Name, sequence, false);
    }

    private void DiscardOldest()
    {
        _firstSequence++;
        if (_firstSequence - _baseSequence >= SegmentSize)
        {
            _segments.RemoveAt(0);
            _baseSequence += SegmentSize;
        }
    }

    private void CheckExpectations(string subject, string? callerId, UInt128 generatedId, PublishOptions? expect)
    {
        if (expect is null)
        {
            return;
        }

        var messageId = callerId ?? MessageIds.Format(generatedId);

        if (expect.ExpectedStream is { } stream && stream != Name)
        {
            throw Refused(messageId, subject, 10060, ImbErrorKind.ExpectationFailed, "expected stream does not match");
        }

        if (expect.ExpectedLastSequence is { } last && last != _lastSequence)
        {
            throw Refused(messageId, subject, 10071, ImbErrorKind.ExpectationFailed, $"wrong last sequence: {_lastSequence}");
        }

        if (expect.ExpectedLastSubjectSequence is { } lastOnSubject && lastOnSubject != _lastBySubject.GetValueOrDefault(subject))
        {
            throw Refused(messageId, subject, 10071, ImbErrorKind.ExpectationFailed, $"wrong last sequence: {_lastBySubject.GetValueOrDefault(subject)}");
        }

        var lastMessageId = _lastMessageIdValue is { } previous ? previous.CallerId ?? MessageIds.Format(previous.Generated) : null;
        if (expect.ExpectedLastMessageId is { } lastId && lastId != lastMessageId)
        {
            throw Refused(messageId, subject, 10070, ImbErrorKind.ExpectationFailed, $"wrong last msg ID: {lastMessageId}");
        }
    }

    private static ImbException Refused(string messageId, string subject, int code, ImbErrorKind kind, string description) =>
        new($"The stream refused message {messageId} on subject {subject}: {description} (code 503, err_code {code}).") { Kind = kind, ServerErrorCode = code };
}
