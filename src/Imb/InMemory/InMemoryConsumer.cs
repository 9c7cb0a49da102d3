using Imb.Streams;

namespace Imb.InMemory;

/// <summary>
/// A durable consumer of an in-memory stream: delivers matching messages in stream order, redelivers nakked ones
/// when their delay is up, counts deliveries, and forgets a message once it is acked or terminated.
/// </summary>
internal sealed class InMemoryConsumer
{
    private readonly Lock _lock = new();
    private readonly InMemoryStream _stream;
    private readonly string? _filter;
    private readonly TimeProvider _time;
    private readonly PriorityQueue<ulong, DateTimeOffset> _redeliveries = new();
    private readonly Dictionary<ulong, int> _deliveries = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _next;

    public InMemoryConsumer(InMemoryStream stream, string name, SubscriptionOptions options, TimeProvider time)
    {
        _stream = stream;
        _filter = options.FilterSubject;
        _time = time;
        Name = name;
        _next = options.Start switch
        {
            SubscriptionStart.New => stream.LastSequence + 1,
            SubscriptionStart.Last => Math.Max(stream.LastSequence, 1),
            _ => 1,
        };
        stream.Attach(this);
    }

    public string Name { get; }

    public string Stream => _stream.Name;

    /// <summary>Gets how many messages wait for delivery or redelivery, and how many are delivered and not yet settled.</summary>
    public (ulong Pending, ulong AckPending) Counts
    {
        get
        {
            lock (_lock)
            {
                var waiting = _stream.LastSequence >= _next ? _stream.LastSequence - _next + 1 : 0;
                return (waiting + (ulong)_redeliveries.Count, (ulong)(_deliveries.Count - _redeliveries.Count));
            }
        }
    }

    /// <summary>Waits for messages to deliver: redeliveries that are due, then new ones, up to <paramref name="max"/> at once.</summary>
    public async Task<IReadOnlyList<(StoredMessage Message, int Delivery)>> NextAsync(int max, CancellationToken cancellationToken)
    {
        var batch = new List<(StoredMessage, int)>(Math.Min(max, 64));
        while (true)
        {
            Task wake;
            TimeSpan? untilDue = null;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                while (batch.Count < max && _redeliveries.TryPeek(out var sequence, out var due) && due <= now)
                {
                    _redeliveries.Dequeue();
                    if (_stream.Get(sequence) is { } again && _deliveries.ContainsKey(sequence))
                    {
                        batch.Add((again, ++_deliveries[sequence]));
                    }
                }

                while (batch.Count < max && _next <= _stream.LastSequence)
                {
                    var sequence = _next++;
                    if (_stream.Get(sequence) is { } message && (_filter is null || SubjectRules.Matches(_filter, message.Subject)))
                    {
                        _deliveries[sequence] = 1;
                        batch.Add((message, 1));
                    }
                }

                if (batch.Count > 0)
                {
                    return batch;
                }

                if (_redeliveries.TryPeek(out _, out var nextDue))
                {
                    untilDue = nextDue - now;
                }

                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
            }

            await (untilDue is { } delay ? Task.WhenAny(wake, Task.Delay(delay, _time, cancellationToken)) : wake.WaitAsync(cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Ack(ulong sequence)
    {
        lock (_lock)
        {
            _deliveries.Remove(sequence);
        }
    }

    public void Nak(ulong sequence, TimeSpan delay)
    {
        lock (_lock)
        {
            _redeliveries.Enqueue(sequence, _time.GetUtcNow() + delay);
        }

        Wake();
    }

    public void Wake()
    {
        lock (_lock)
        {
            _wake.TrySetResult();
        }
    }
}
