using System.Threading.Channels;
using Imb.Connection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// One consume session of a subscription: pulls from its consumer and hands each message to the processor, until stop,
/// a reconnect or a missing consumer ends it (<see cref="SessionEnd"/>); <see cref="SubscriptionRunner"/> then decides
/// what comes next. The watch over a session (progress acks, consumer checks) is in ConsumeSession.Monitor.cs.
/// </summary>
internal sealed partial class ConsumeSession(
    ImbConnection connection, SubscriptionOptions options, SubscribingOptions subscribing, NatsDeliveryTransport transport,
    MessageProcessor<INatsJSMsg<ReadOnlyMemory<byte>>> processor, SubscriptionStatus status, ILogger logger, TimeProvider time)
{
    private static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(2);

    private string Name => status.Name;

    private string Stream => status.Stream;

    private string Consumer => status.Consumer;

    /// <summary>One consume session: until stop, a reconnect (the server forgot our pull requests) or a missing consumer.</summary>
    public async Task<SessionEnd> RunAsync(INatsJSConsumer consumer, CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        using var pulling = CancellationTokenSource.CreateLinkedTokenSource(stopPulling);
        using var monitoring = new CancellationTokenSource();
        var end = SessionEnd.Stopped;
        void EndSession(SessionEnd reason)
        {
            end = reason;
            pulling.Cancel();
        }

        void OnLost()
        {
            logger.SubscriptionPaused(Name, Stream, Consumer);
            status.Set(SubscriptionState.Recovering, $"The connection to {connection.Servers} is lost.");
        }

        void OnRestored() => EndSession(SessionEnd.Reconnected);
        var connected = connection.Connection.ServerInfo;
        await ResendUnconfirmedAcksAsync(stopPulling).ConfigureAwait(false);
        connection.ConnectionLost += OnLost;
        connection.ConnectionRestored += OnRestored;
        var monitor = MonitorAsync(consumer, () => EndSession(SessionEnd.ConsumerMissing), pulling.Token, monitoring.Token);
        var confirming = ConfirmAcksAsync(connected, monitoring.Token);
        var opts = new NatsJSConsumeOpts
        {
            MaxMsgs = options.Prefetch,

            // Short-lived pulls with frequent heartbeats: a pull lost with its consumer leader is replaced within two heartbeats.
            Expires = subscribing.PullExpiry,
            IdleHeartbeat = subscribing.Heartbeat,

            // Buffered messages are yielded after cancel, so that each one is accounted for (and logged) before the session ends.
            DrainOnCancel = true,
            NotificationHandler = (notification, _) =>
            {
                logger.ConsumeNotification(Name, Stream, Consumer, Describe(notification));
                return Task.CompletedTask;
            },
        };
        try
        {
            var messages = consumer.ConsumeAsync<ReadOnlyMemory<byte>>(opts: opts, cancellationToken: pulling.Token);
            if (options.Concurrency == 1)
            {
                await foreach (var message in messages.ConfigureAwait(false))
                {
                    processor.RefreshLogLevel(0);
                    await processor.ProcessAsync(message, 0, pulling.Token, abortHandlers).ConfigureAwait(false);
                }
            }
            else
            {
                await DispatchAsync(messages, pulling.Token, abortHandlers).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (pulling.IsCancellationRequested)
        {
            // Stopped, reconnected, or the consumer was found missing.
        }
        finally
        {
            connection.ConnectionLost -= OnLost;
            connection.ConnectionRestored -= OnRestored;
            await monitoring.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
            await confirming.ConfigureAwait(false);
            await HandBackAsync().ConfigureAwait(false);
        }

        return stopPulling.IsCancellationRequested ? SessionEnd.Stopped : end;
    }

    /// <summary>Naks what the session released unhandled, now that its pulls are closed; bounded, since host stop waits on it.</summary>
    private async Task HandBackAsync()
    {
        using var deadline = new CancellationTokenSource(HandBackTimeout, time);
        var (handedBack, left, error) = await transport.HandBackReleasedAsync(deadline.Token).ConfigureAwait(false);
        if (handedBack > 0)
        {
            logger.HandedBack(Name, Stream, Consumer, handedBack);
        }

        if (error is not null)
        {
            logger.HandBackFailed(error, Name, Stream, Consumer, left);
        }
    }

    /// <summary>Hands messages to <see cref="SubscriptionOptions.Concurrency"/> workers through a queue as long as their number.</summary>
    private async Task DispatchAsync(IAsyncEnumerable<INatsJSMsg<ReadOnlyMemory<byte>>> messages, CancellationToken pulling, CancellationToken abortHandlers)
    {
        var queue = Channel.CreateBounded<INatsJSMsg<ReadOnlyMemory<byte>>>(
            new BoundedChannelOptions(options.Concurrency) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var workers = new Task[options.Concurrency];
        for (var slot = 0; slot < workers.Length; slot++)
        {
            workers[slot] = WorkAsync(queue.Reader, slot, pulling, abortHandlers);
        }

        try
        {
            await foreach (var message in messages.ConfigureAwait(false))
            {
                await queue.Writer.WriteAsync(message, abortHandlers).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    private async Task WorkAsync(ChannelReader<INatsJSMsg<ReadOnlyMemory<byte>>> queue, int slot, CancellationToken pulling, CancellationToken abortHandlers)
    {
        // Runs the first message on the dispatcher's thread, then continues on the pool.
        await Task.Yield();
        while (await queue.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (queue.TryRead(out var message))
            {
                processor.RefreshLogLevel(slot);
                await processor.ProcessAsync(message, slot, pulling, abortHandlers).ConfigureAwait(false);
            }
        }
    }
}
