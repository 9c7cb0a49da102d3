namespace Imb.InMemory;

/// <summary>
/// The message ids an in-memory stream remembers for de-duplication beyond what its log can answer: callers' ids
/// (text), and generated ids of messages already discarded from the log while still inside the window. Ids leave
/// once older than the window. Not thread-safe: the stream's lock guards it.
/// </summary>
internal sealed class DuplicateWindow(TimeSpan window)
{
    private readonly Dictionary<string, ulong> _callerIds = new(StringComparer.Ordinal);
    private readonly DiscardedIds _discardedIds = new();
    private readonly Queue<(string CallerId, DateTimeOffset At)> _byAge = new();

    /// <summary>Gets or sets how long an id is remembered; a stream whose declaration changes sets it anew.</summary>
    public TimeSpan Window { get; set; } = window;

    /// <summary>Forgets every id stored longer ago than the window.</summary>
    public void Expire(DateTimeOffset now)
    {
        // Every publish comes here; most streams remember nothing (no caller ids, no discards).
        if (_byAge.Count == 0 && _discardedIds.Count == 0)
        {
            return;
        }

        while (_byAge.TryPeek(out var oldest) && now - oldest.At > Window)
        {
            _byAge.Dequeue();
            _callerIds.Remove(oldest.CallerId);
        }

        _discardedIds.ForgetOlderThan(Window, now);
    }

    public bool TryFind(string callerId, out ulong sequence) => _callerIds.TryGetValue(callerId, out sequence);

    public bool TryFindDiscarded(UInt128 generatedId, DateTimeOffset now, out ulong sequence)
    {
        var found = _discardedIds.TryFind(generatedId, out sequence, out var storedAt) && now - storedAt <= Window;
        sequence = found ? sequence : 0;
        return found;
    }

    public void Remember(string callerId, ulong sequence, DateTimeOffset at)
    {
        _callerIds[callerId] = sequence;
        _byAge.Enqueue((callerId, at));
    }

    /// <summary>Keeps a generated id of a message leaving the log, if the window still covers it.</summary>
    public void RememberDiscarded(in StoredMessage message, DateTimeOffset now)
    {
        if (message.CallerId is null && now - message.Timestamp <= Window)
        {
            _discardedIds.Add(message.GeneratedId, message.Sequence, message.Timestamp);
        }
    }
}
