using Imb.Testing;
using Imb.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Publishing;

/// <summary>The publish retry loop on a fake clock, against a real server that stops answering: backoff, deadline, error.</summary>
public sealed class PublishRetryClockTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_ServerStopsAnswering_RetriesSameIdWithDoublingDelaysUntilTheDeadline()
    {
        var time = new CountingTimeProvider();
        await using var server = await NatsNode.StartAsync("paused", Path.Combine(nats.Directory, nats.NewName("paused")), cancellationToken: Ct);
        await using var host = ImbTestHost.CreateExternal(
            [server.Url],
            o =>
            {
                o.Publishing.AckTimeout = TimeSpan.FromMilliseconds(200);
                o.Publishing.RetryDeadline = TimeSpan.FromSeconds(3);
            },
            imb =>
            {
                imb.Services.AddSingleton<TimeProvider>(time);
                imb.AddStream("PAUSED", s => s.Subjects.Add("paused.>"));
            });
        await host.StartAsync();
        var bus = host.Get<IMessageBus>();
        await bus.PublishAsync("paused.first", "1"u8.ToArray(), cancellationToken: Ct);

        // SIGSTOP: the server holds the connection open and answers nothing, so every attempt times out (200 ms, real).
        await server.PauseAsync(Ct);
        var publishing = bus.PublishAsync("paused.second", "2"u8.ToArray(), new PublishOptions { MessageId = "second" }, Ct).AsTask();
        var delays = new List<TimeSpan>();
        try
        {
            while (!publishing.IsCompleted)
            {
                // A failed attempt logs its delay (event 401), then waits on the fake clock: once it does, move it by exactly that.
                await Waiter.UntilAsync(() => time.TimersStarted > delays.Count || publishing.IsCompleted, Waiter.Patience, "the next attempt to wait", Ct);
                if (time.TimersStarted > delays.Count)
                {
                    delays.Add(LoggedDelay.Of(host.LogsWithEventId(401)[delays.Count]));
                    time.Advance(delays[^1]);
                }
            }
        }
        finally
        {
            server.Resume();
        }

        var error = await Assert.ThrowsAsync<ImbException>(() => publishing);

        // 0.05 + 0.1 + 0.2 + 0.4 + 0.8 + 1 = 2.55 s waited; one more second would pass the 3 s deadline.
        Assert.Equal([0.05, 0.1, 0.2, 0.4, 0.8, 1], delays.Select(d => d.TotalSeconds));
        Assert.Equal(ImbErrorKind.Timeout, error.Kind);
        Assert.Contains("message second", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("7 attempts", error.Message, StringComparison.Ordinal);
        Assert.All(host.LogsWithEventId(401), r => Assert.Contains("second", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_AckDropped_SentAgainUnderItsIdExactlyWhenResendAfterHasPassedAndStoredOnce()
    {
        var time = new CountingTimeProvider();
        await using var server = await NatsNode.StartAsync("resend", Path.Combine(nats.Directory, nats.NewName("resend")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        await using var host = ImbTestHost.CreateExternal(
            [proxy.Url],
            o =>
            {
                o.Publishing.ResendAfter = TimeSpan.FromSeconds(1);
                o.Publishing.AckTimeout = TimeSpan.FromMinutes(1);
            },
            imb =>
            {
                imb.Services.AddSingleton<TimeProvider>(time);
                imb.AddStream("RESEND", s => s.Subjects.Add("resend.>"));
            });
        await host.StartAsync();
        var timers = time.TimersStarted;
        var acks = 0;
        proxy.DropFromServer = (_, payload) => payload.Span.StartsWith("{\"stream\":"u8) && Interlocked.Increment(ref acks) == 1;

        var publishing = host.Get<IMessageBus>().PublishAsync("resend.one", "1"u8.ToArray(), new PublishOptions { MessageId = "one" }, Ct).AsTask();
        await Waiter.UntilAsync(() => proxy.Dropped == 1 && time.TimersStarted > timers, Waiter.Patience, "the first ack to be dropped and the resend timer to start", Ct);
        time.Advance(TimeSpan.FromMilliseconds(999));
        var resentEarly = host.LogsWithEventId(407).Count;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var ack = await publishing.WaitAsync(Waiter.Patience, Ct);

        Assert.Equal(0, resentEarly);
        Assert.False(publishing.IsFaulted);
        Assert.Equal(1UL, ack.Sequence);
        Assert.Single(host.LogsWithEventId(407));
        Assert.Equal(1, (await host.Get<IImbTopology>().GetStreamAsync("RESEND", Ct)).Messages);
    }
}
