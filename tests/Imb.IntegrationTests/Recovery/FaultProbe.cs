using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Recovery;

/// <summary>
/// Drives a subscription from outside: a plain NATS client publishes uniquely numbered messages at a steady pace,
/// each retried under its own message id until the stream acknowledges it, and the subscription's handler reports
/// what it handled. Measures how long handling stops after a fault and counts lost and duplicated messages.
/// </summary>
internal sealed class FaultProbe : IAsyncDisposable
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly string _subject;
    private readonly ConcurrentDictionary<int, int> _handled = new();
    private readonly ConcurrentDictionary<int, long> _handledAt = new();
    private readonly ConcurrentDictionary<int, byte> _acknowledged = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;
    private int _attempted;

    private FaultProbe(string urls, string subject)
    {
        _connection = new NatsConnection(NatsOpts.Default with { Url = urls, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        _js = new NatsJSContext(_connection, new NatsJSOpts(_connection.Opts, requestTimeout: TimeSpan.FromSeconds(1)));
        _subject = subject;
        _publishing = PublishAsync(_stop.Token);
    }

    public int Attempted => Volatile.Read(ref _attempted);

    public int Acknowledged => _acknowledged.Count;

    /// <summary>Starts publishing to <paramref name="subject"/> through <paramref name="urls"/> (the servers themselves, not the host's path).</summary>
    public static FaultProbe Start(string urls, string subject) => new(urls, subject);

    /// <summary>The handler's report: call it with each message the subscription handles.</summary>
    public void Handled(ReceivedMessage message)
    {
        var id = int.Parse(Encoding.ASCII.GetString(message.Data.Span), CultureInfo.InvariantCulture);
        var at = Stopwatch.GetTimestamp();
        _handledAt.TryAdd(id, at);
        _handled.AddOrUpdate(id, 1, (_, count) => count + 1);
        _deliveries.Enqueue(new Delivery(id, message.StreamSequence, message.DeliveryCount, at));
    }

    /// <summary>Waits until the subscription handles the probe's messages.</summary>
    public Task WaitUntilFlowingAsync(CancellationToken cancellationToken) =>
        Testing.Waiter.UntilAsync(() => _handled.Count >= 10, Testing.Waiter.Patience, "the subscription to handle the probe's messages", cancellationToken);

    /// <summary>Marks the moment of a fault: the time, and the first message id the probe publishes after it.</summary>
    public FaultMark Mark() => new(Stopwatch.GetTimestamp(), Attempted + 1);

    /// <summary>Waits until a message published after <paramref name="mark"/> has been handled; returns how long after the mark that was.</summary>
    public async Task<TimeSpan> WaitForHandlingAfterAsync(FaultMark mark, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Testing.Waiter.UntilAsync(
            () => _handledAt.Keys.Any(id => id >= mark.FirstId), timeout, "the subscription to handle a message published after the fault", cancellationToken);
        return Stopwatch.GetElapsedTime(mark.At, _handledAt.Where(h => h.Key >= mark.FirstId).Min(h => h.Value));
    }

    /// <summary>Stops publishing, waits until every acknowledged message was handled, and counts.</summary>
    public async Task<FaultCounts> StopAndCountAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _publishing;
        try
        {
            await Testing.Waiter.UntilAsync(() => _acknowledged.Keys.All(_handled.ContainsKey), timeout, "every acknowledged message to be handled", cancellationToken);
        }
        catch (TimeoutException)
        {
            // Counted as lost below.
        }

        var lost = _acknowledged.Keys.Count(id => !_handled.ContainsKey(id));
        var duplicated = _handled.Count(h => h.Value > 1);
        return new FaultCounts(Attempted, Acknowledged, _handled.Count, lost, duplicated, DescribeDuplicates());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publishing;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Counts the duplicated messages whose stream sequence is at most <paramref name="sequence"/>.</summary>
    public int DuplicatedAtOrBelow(ulong sequence) =>
        _deliveries.Where(d => d.Sequence <= sequence && _handled.TryGetValue(d.Id, out var count) && count > 1).Select(d => d.Id).Distinct().Count();

    /// <summary>The first duplicated messages' deliveries, so that a failure shows which copy came from where.</summary>
    private string DescribeDuplicates()
    {
        var start = _deliveries.TryPeek(out var first) ? first.At : 0;
        return string.Join("; ", _deliveries
            .Where(d => _handled.TryGetValue(d.Id, out var count) && count > 1)
            .GroupBy(d => d.Id)
            .Take(5)
            .Select(g => $"id {g.Key}: " + string.Join(", ", g.Select(d => $"seq {d.Sequence} delivery {d.Count} at {Stopwatch.GetElapsedTime(start, d.At).TotalMilliseconds:F0} ms"))));
    }

    private async Task PublishAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Pace);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var id = Interlocked.Increment(ref _attempted);
                var body = Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture));
                while (true)
                {
                    try
                    {
                        await _js.PublishAsync(_subject, body, opts: new NatsJSPubOpts { MsgId = $"probe-{id}" }, cancellationToken: stop);
                        _acknowledged.TryAdd(id, 0);
                        break;
                    }
                    catch (Exception e) when (e is NatsException or NatsJSException && !stop.IsCancellationRequested)
                    {
                        // Server away or electing a leader: the same id again; the stream answers a stored copy as a duplicate.
                        await Task.Delay(50, stop);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}

/// <summary>A fault's moment: a <see cref="Stopwatch"/> time stamp and the first message id published after it.</summary>
internal readonly record struct FaultMark(long At, int FirstId);

/// <summary>What a fault test counts, by unique message id, and the first duplicates' deliveries.</summary>
internal sealed record FaultCounts(int Attempted, int Acknowledged, int Handled, int Lost, int Duplicated, string Duplicates)
{
    public override string ToString() =>
        $"attempted {Attempted}, acknowledged {Acknowledged}, handled {Handled}, lost {Lost}, duplicated {Duplicated}"
        + (Duplicated > 0 ? $" ({Duplicates})" : string.Empty);
}

/// <summary>One handling: the probe's id, the stream sequence, the delivery count and a <see cref="Stopwatch"/> time stamp.</summary>
internal readonly record struct Delivery(int Id, ulong Sequence, int Count, long At);
