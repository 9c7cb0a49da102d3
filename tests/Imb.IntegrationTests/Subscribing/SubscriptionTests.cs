using System.Collections.Concurrent;
using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Subscribing;

public sealed class SubscriptionTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddSubscription_ThousandMessages_EachHandledOnceWithPayloadAndHeadersIntact()
    {
        var handled = new ConcurrentDictionary<string, (string Body, string Header, int Count)>();
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, subject) =>
            imb.AddSubscription("orders", s => { s.Stream = stream; s.FilterSubject = $"{subject}.orders.*"; s.Concurrency = 4; }, (message, _, _) =>
            {
                handled.AddOrUpdate(
                    message.MessageId!,
                    _ => (Encoding.UTF8.GetString(message.Data.Span), message.Headers["Order"], 1),
                    (_, seen) => seen with { Count = seen.Count + 1 });
                return ValueTask.CompletedTask;
            }));

        for (var i = 0; i < 1000; i++)
        {
            var options = new PublishOptions { MessageId = $"m{i}", Headers = { ["Order"] = $"o{i}" } };
            await scenario.Bus.EnqueueAsync($"{scenario.Subject}.orders.{i % 7}", Encoding.UTF8.GetBytes($"body {i}"), options, Ct);
        }

        await scenario.Bus.FlushAsync(Ct);
        await scenario.Bus.PublishAsync($"{scenario.Subject}.other", "not for the filter"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => handled.Count == 1000, Waiter.Patience, "1,000 messages to be handled", Ct);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("orders")).NumAckPending == 0, Waiter.Patience, "every ack to arrive", Ct);

        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(($"body {i}", $"o{i}", 1), handled[$"m{i}"]));
        Assert.Equal(0, (await scenario.ConsumerInfoAsync("orders")).NumRedelivered);
    }

    [Fact]
    public async Task Handler_FailingTwiceThenSucceeding_IsRedeliveredNoSoonerThanTheRetryDelay()
    {
        var deliveries = new ConcurrentQueue<(int Delivery, long At)>();
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, _) =>
            imb.AddSubscription("retry", s => { s.Stream = stream; s.RetryDelay = TimeSpan.FromMilliseconds(400); }, (message, _, _) =>
            {
                deliveries.Enqueue((message.DeliveryCount, TimeProvider.System.GetTimestamp()));
                return message.DeliveryCount <= 2 ? throw new InvalidOperationException($"attempt {message.DeliveryCount} fails") : ValueTask.CompletedTask;
            }));

        await scenario.Bus.PublishAsync($"{scenario.Subject}.x", "payload"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => deliveries.Count == 3, Waiter.Patience, "three deliveries", Ct);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("retry")).NumAckPending == 0, Waiter.Patience, "the ack", Ct);

        var times = deliveries.ToArray();
        Assert.Equal([1, 2, 3], times.Select(d => d.Delivery));
        Assert.True(TimeProvider.System.GetElapsedTime(times[0].At, times[1].At) >= TimeSpan.FromMilliseconds(400), "first redelivery came before the retry delay");
        Assert.True(TimeProvider.System.GetElapsedTime(times[1].At, times[2].At) >= TimeSpan.FromMilliseconds(800), "second redelivery came before the doubled delay");
        Assert.Equal(2, scenario.Host.LogsWithEventId(503).Count);
        Assert.Empty(await scenario.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Handler_AlwaysFailing_IsDeadLetteredOnceAfterMaxDeliveriesWithDiagnosticHeaders()
    {
        var calls = 0;
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, _) =>
            imb.AddSubscription("doomed", s => { s.Stream = stream; s.MaxDeliver = 3; s.RetryDelay = TimeSpan.FromMilliseconds(50); }, (_, _, _) =>
            {
                Interlocked.Increment(ref calls);
                throw new InvalidOperationException("the database\nis down");
            }));

        var options = new PublishOptions { MessageId = "order-7", Headers = { ["Tenant"] = "acme" } };
        var ack = await scenario.Bus.PublishAsync($"{scenario.Subject}.orders", "{\"id\":7}"u8.ToArray(), options, Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(504).Count == 1, Waiter.Patience, "the dead-letter log", Ct);

        var letter = Assert.Single(await scenario.ReadDeadLettersAsync());
        Assert.Equal($"imb.dlq.{scenario.Stream}.doomed", letter.Subject);
        Assert.Equal("{\"id\":7}", Encoding.UTF8.GetString(letter.Data!));
        var headers = letter.Headers!;
        Assert.Equal("acme", headers["Tenant"].ToString());
        Assert.NotEqual("order-7", headers["Nats-Msg-Id"].ToString());
        Assert.Equal(scenario.Stream, headers["Imb-Dlq-Stream"].ToString());
        Assert.Equal(ack.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["Imb-Dlq-Sequence"].ToString());
        Assert.Equal($"{scenario.Subject}.orders", headers["Imb-Dlq-Subject"].ToString());
        Assert.Equal("doomed", headers["Imb-Dlq-Consumer"].ToString());
        Assert.Equal("3", headers["Imb-Dlq-Deliveries"].ToString());
        Assert.Equal("Failed on delivery 3 of 3: InvalidOperationException: the database is down", headers["Imb-Dlq-Reason"].ToString());
        Assert.Equal(3, calls);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("doomed")).NumAckPending == 0, Waiter.Patience, "the terminate to settle the message", Ct);
    }

    [Fact]
    public async Task Handler_PoisonMessage_IsDeadLetteredAtOnceAndNeverRetried()
    {
        var calls = 0;
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, _) =>
            imb.AddSubscription("reader", s => s.Stream = stream, (message, _, _) =>
            {
                Interlocked.Increment(ref calls);
                return message.Data.Span[0] == (byte)'{' ? ValueTask.CompletedTask : throw new ImbException("not JSON") { Kind = ImbErrorKind.Poison };
            }));

        await scenario.Bus.PublishAsync($"{scenario.Subject}.in", "garbage"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(504).Count == 1, Waiter.Patience, "the dead-letter log", Ct);
        await scenario.Bus.PublishAsync($"{scenario.Subject}.in", "{}"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => calls == 2, Waiter.Patience, "the next message to be handled", Ct);

        var letter = Assert.Single(await scenario.ReadDeadLettersAsync());
        Assert.Equal("1", letter.Headers!["Imb-Dlq-Deliveries"].ToString());
        Assert.Equal("Poison: not JSON", letter.Headers!["Imb-Dlq-Reason"].ToString());
        Assert.Empty(scenario.Host.LogsWithEventId(503));
        Assert.Equal(0, (await scenario.ConsumerInfoAsync("reader")).NumRedelivered);
    }

    [Fact]
    public async Task Handler_RunningThreeTimesTheAckWait_IsKeptAliveAndNotRedelivered()
    {
        var deliveries = new ConcurrentQueue<int>();
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, _) =>
            imb.AddSubscription("slow", s => { s.Stream = stream; s.AckWait = TimeSpan.FromSeconds(1); }, async (message, _, ct) =>
            {
                deliveries.Enqueue(message.DeliveryCount);
                await Task.Delay(TimeSpan.FromSeconds(3), ct); // the work itself: three ack waits long
            }));

        await scenario.Bus.PublishAsync($"{scenario.Subject}.job", "x"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(502).Count == 1, Waiter.Patience, "the job to be handled", Ct);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("slow")).NumAckPending == 0, Waiter.Patience, "the ack", Ct);

        Assert.Equal([1], deliveries);
        Assert.Equal(0, (await scenario.ConsumerInfoAsync("slow")).NumRedelivered);
    }

    [Fact]
    public async Task Consumer_DeletedFromOutside_IsRecreatedAndConsumingResumes()
    {
        var handled = new ConcurrentQueue<string>();
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (imb, stream, _) =>
            imb.AddSubscription("phoenix", s => { s.Stream = stream; s.Start = SubscriptionStart.New; }, (message, _, _) =>
            {
                handled.Enqueue(Encoding.UTF8.GetString(message.Data.Span));
                return ValueTask.CompletedTask;
            }));
        await scenario.Bus.PublishAsync($"{scenario.Subject}.a", "before"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => handled.Count == 1, Waiter.Patience, "the first message", Ct);

        await scenario.JetStream.DeleteConsumerAsync(scenario.Stream, "phoenix", Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(508).Count + scenario.Host.LogsWithEventId(509).Count > 0, Waiter.Patience, "the loss to be noticed", Ct);
        await Waiter.UntilAsync(async _ => (await scenario.HealthAsync()).Status == HealthStatus.Healthy, Waiter.Patience, "the subscription to consume again", Ct);
        await scenario.Bus.PublishAsync($"{scenario.Subject}.a", "after"u8.ToArray(), cancellationToken: Ct);

        await Waiter.UntilAsync(() => handled.Contains("after"), Waiter.Patience, "the message published after the re-creation", Ct);
        Assert.Equal("before", handled.First());
        Assert.Equal("phoenix", (await scenario.ConsumerInfoAsync("phoenix")).Name);
    }

    [Fact]
    public async Task SubscribeAsync_LiveSubscription_SeesWhatIsPublishedUntilDisposed()
    {
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("SUB"), (_, _, _) => { });
        var live = await scenario.Bus.SubscribeAsync($"{scenario.Subject}.*", Ct);

        await scenario.Bus.PublishAsync($"{scenario.Subject}.one", "1"u8.ToArray(), new PublishOptions { Headers = { ["K"] = "v" } }, Ct);
        await using var enumerator = live.GetAsyncEnumerator(Ct);
        Assert.True(await enumerator.MoveNextAsync());
        await live.DisposeAsync();

        Assert.Equal($"{scenario.Subject}.one", enumerator.Current.Subject);
        Assert.Equal("1", Encoding.UTF8.GetString(enumerator.Current.Data.Span));
        Assert.Equal("v", enumerator.Current.Headers["K"]);
        Assert.False(await enumerator.MoveNextAsync());
    }
}
