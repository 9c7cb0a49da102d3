using System.Collections.Concurrent;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.Testing;

/// <summary>
/// Records what a host publishes, handles and dead-letters, in either mode (InMemory or a real server), and waits for
/// a message matching a predicate; a wait that times out lists what was seen instead.
/// </summary>
public sealed class BusRecorder : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<ReceivedMessage> _published = new();
    private readonly ConcurrentQueue<(string Subscription, ReceivedMessage Message)> _handled = new();
    private readonly IReadOnlyList<ILiveSubscription> _live;
    private readonly SubscriptionEvents _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private BusRecorder(IReadOnlyList<ILiveSubscription> live, SubscriptionEvents events)
    {
        _live = live;
        _events = events;
        _events.Handled += OnHandled;
        _reading = Task.WhenAll(live.Select(ReadAsync));
    }

    /// <summary>Starts recording what the host's bus publishes from now on; the host must be started.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="subjects">The subject patterns to record; everything (<c>&gt;</c>) unless given.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The recorder.</returns>
    /// <remarks>
    /// On a shared server, record only the subjects the test uses: a subscription to <c>&gt;</c> is interest in every
    /// subject, so a publish to a subject no stream captures then waits for its ack timeout instead of failing at once.
    /// </remarks>
    public static async Task<BusRecorder> StartAsync(IServiceProvider services, IReadOnlyList<string>? subjects = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var bus = services.GetRequiredService<IMessageBus>();
        var live = new List<ILiveSubscription>();
        foreach (var subject in subjects ?? [">"])
        {
            live.Add(await bus.SubscribeAsync(subject, cancellationToken).ConfigureAwait(false));
        }

        return new BusRecorder(live, services.GetRequiredService<SubscriptionEvents>());
    }

    /// <summary>Waits until a message matching <paramref name="predicate"/> was published (stored or not, dead letters included).</summary>
    /// <param name="predicate">What to wait for.</param>
    /// <param name="timeout">How long at most; 10 seconds unless given.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching message.</returns>
    /// <exception cref="TimeoutException">Nothing matched in time; the message lists what was published instead.</exception>
    public Task<ReceivedMessage> WaitForPublishedAsync(Func<ReceivedMessage, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitAsync(() => _published.FirstOrDefault(predicate), () => _published.Select(m => m.Subject), "published", timeout, cancellationToken);

    /// <summary>Waits until subscription <paramref name="subscription"/> handled (and acknowledged) a message matching <paramref name="predicate"/>.</summary>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="predicate">What to wait for.</param>
    /// <param name="timeout">How long at most; 10 seconds unless given.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching message.</returns>
    /// <exception cref="TimeoutException">Nothing matched in time; the message lists what was handled instead.</exception>
    public Task<ReceivedMessage> WaitForHandledAsync(string subscription, Func<ReceivedMessage, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitAsync(
            () => _handled.Where(h => h.Subscription == subscription).Select(h => h.Message).FirstOrDefault(predicate),
            () => _handled.Select(h => $"{h.Subscription}:{h.Message.Subject}"),
            $"handled by {subscription}",
            timeout,
            cancellationToken);

    /// <summary>Waits until a dead letter matching <paramref name="predicate"/> was written (subject <c>imb.dlq.&lt;stream&gt;.&lt;consumer&gt;</c>).</summary>
    /// <param name="predicate">What to wait for; the dead letter carries the <c>Imb-Dlq-*</c> headers.</param>
    /// <param name="timeout">How long at most; 10 seconds unless given.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching dead letter.</returns>
    /// <exception cref="TimeoutException">Nothing matched in time; the message lists what was published instead.</exception>
    public Task<ReceivedMessage> WaitForDeadLetteredAsync(Func<ReceivedMessage, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitAsync(
            () => _published.FirstOrDefault(m => m.Subject.StartsWith(DeadLetterSubjects.Prefix, StringComparison.Ordinal) && predicate(m)),
            () => _published.Select(m => m.Subject),
            "dead-lettered",
            timeout,
            cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _events.Handled -= OnHandled;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var live in _live)
        {
            await live.DisposeAsync().ConfigureAwait(false);
        }

        await _reading.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task<ReceivedMessage> WaitAsync(
        Func<ReceivedMessage?> find, Func<IEnumerable<string>> seen, string what, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var limit = timeout ?? DefaultTimeout;
        ReceivedMessage? found = null;
        try
        {
            await Waiter.UntilAsync(() => (found = find()) is not null, limit, $"a message {what}", cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var list = seen().ToList();
            var shown = string.Join(", ", list.TakeLast(20));
            throw new TimeoutException($"No message matching the predicate was {what} within {limit}. Seen instead ({list.Count}): {(list.Count == 0 ? "nothing" : shown)}.");
        }

        return found!;
    }

    private void OnHandled(string subscription, ReceivedMessage message) => _handled.Enqueue((subscription, message));

    private async Task ReadAsync(ILiveSubscription live)
    {
        try
        {
            await foreach (var message in live.WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                // On a real server '>' also sees JetStream's own traffic (API calls, acks) and request inboxes.
                if (!message.Subject.StartsWith('$') && !message.Subject.StartsWith("_INBOX.", StringComparison.Ordinal))
                {
                    _published.Enqueue(message);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
