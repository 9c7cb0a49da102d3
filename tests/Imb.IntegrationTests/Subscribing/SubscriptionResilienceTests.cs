using System.Collections.Concurrent;
using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>Subscriptions through server crashes, host stops and consumers that cannot be had.</summary>
public sealed class SubscriptionResilienceTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_KilledDuringHandlingAndRestarted_SubscriptionResumesByItselfAndTheMessageIsHandled()
    {
        await using var server = await NatsNode.StartAsync("sub-crash", Path.Combine(nats.Directory, nats.NewName("sub-crash")), cancellationToken: Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new ConcurrentQueue<string>();
        var handled = new ConcurrentQueue<string>();
        await using var scenario = await SubscriptionScenario.StartAsync(server.Url, "CRASHSUB", (imb, stream, _) =>
            imb.AddSubscription("survivor", s => { s.Stream = stream; s.AckWait = TimeSpan.FromSeconds(2); }, async (message, _, ct) =>
            {
                var body = Encoding.UTF8.GetString(message.Data.Span);
                started.Enqueue(body);
                if (body == "first")
                {
                    await release.Task.WaitAsync(ct);
                }

                handled.Enqueue(body);
            }));
        await scenario.Bus.PublishAsync("crashsub.work", "first"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => started.Contains("first"), Waiter.Patience, "the handler to start", Ct);

        await server.KillAsync();
        await Waiter.UntilAsync(async _ => (await scenario.HealthAsync()).Status == HealthStatus.Unhealthy, Waiter.Patience, "health to report the lost server", Ct);
        await Waiter.UntilAsync(
            async _ => (await scenario.HealthAsync()).Entries["imb"].Data["subscription.survivor.state"] is "Recovering", Waiter.Patience, "the subscription to report recovering", Ct);
        await server.RestartAsync(Ct);
        release.SetResult();
        await Waiter.UntilAsync(async _ => (await scenario.HealthAsync()).Status == HealthStatus.Healthy, Waiter.Patience, "the subscription to recover", Ct);
        await scenario.Bus.PublishAsync("crashsub.work", "second"u8.ToArray(), cancellationToken: Ct);

        await Waiter.UntilAsync(() => handled.Contains("first") && handled.Contains("second"), Waiter.Patience, "both messages to be handled", Ct);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("survivor")) is { NumAckPending: 0, NumPending: 0 }, Waiter.Patience, "nothing left pending", Ct);
        Assert.NotEmpty(scenario.Host.LogsWithEventId(203));
        Assert.NotEmpty(scenario.Host.LogsWithEventId(515));
        Assert.NotEmpty(scenario.Host.LogsWithEventId(516));
    }

    [Fact]
    public async Task HostStop_FiftyMessagesInFlight_FinishedOnesAckedTheRestHandedBackAndRedeliveredAtOnceNoneLost()
    {
        var stream = nats.NewName("STOP");
        var inFlight = 0;
        var finishEven = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new ConcurrentDictionary<int, int>();
        void Subscribe(IImbBuilder imb, string name, string _, bool blocking) =>
            imb.AddSubscription("stopper", s => { s.Stream = name; s.Concurrency = 50; s.Prefetch = 64; s.AckWait = TimeSpan.FromMinutes(1); }, async (message, _, ct) =>
            {
                var n = int.Parse(Encoding.UTF8.GetString(message.Data.Span), System.Globalization.CultureInfo.InvariantCulture);
                if (blocking)
                {
                    Interlocked.Increment(ref inFlight);
                    // Even ones finish once stop has begun; odd ones would outlast the shutdown timeout.
                    await (n % 2 == 0 ? finishEven.Task.WaitAsync(ct) : Task.Delay(Timeout.Infinite, ct));
                }

                done.AddOrUpdate(n, 1, (_, c) => c + 1);
            });

        var first = await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, subject) => Subscribe(imb, name, subject, blocking: true), o => o.Subscribing.ShutdownTimeout = TimeSpan.FromSeconds(1));
        await using (first)
        {
            for (var i = 0; i < 50; i++)
            {
                await first.Bus.EnqueueAsync($"{first.Subject}.job", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken: Ct);
            }

            await first.Bus.FlushAsync(Ct);
            await Waiter.UntilAsync(() => Volatile.Read(ref inFlight) == 50, Waiter.Patience, "50 handlers in flight", Ct);
            var stopping = first.Host.StopAsync();
            await Waiter.UntilAsync(() => first.Host.LogsWithEventId(512).Count == 1, Waiter.Patience, "stop to begin", Ct);
            finishEven.SetResult();
            await stopping;

            Assert.Equal(Enumerable.Range(0, 25).Select(i => i * 2), done.Keys.Order());
            Assert.Equal(25, first.Host.LogsWithEventId(513).Count);
            Assert.Equal(25, first.Host.LogsWithEventId(517).Sum(r => Convert.ToInt32(r.StructuredState!.Single(p => p.Key == "Count").Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Handed back with a nak, the odd ones come at once, well within the minute of ack wait they would otherwise wait out.
        await using var second = await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, subject) => Subscribe(imb, name, subject, blocking: false), deadLetters: null);
        await Waiter.UntilAsync(() => done.Count == 50, TimeSpan.FromSeconds(20), "the odd messages to be handled by the next host", Ct);
        await Waiter.UntilAsync(async _ => (await second.ConsumerInfoAsync("stopper")) is { NumAckPending: 0, NumPending: 0 }, Waiter.Patience, "nothing left pending", Ct);
        Assert.All(done, d => Assert.Equal(1, d.Value));
    }

    [Fact]
    public async Task VerifyOnly_ConsumerMissing_FailsStartNamingIt()
    {
        var stream = nats.NewName("VERIFY");
        await using (await SubscriptionScenario.StartAsync(nats.Url, stream, (_, _, _) => { }))
        {
            // Creates the streams; the consumer is never created.
        }

        var error = await Assert.ThrowsAsync<ImbException>(() => SubscriptionScenario.StartAsync(
            nats.Url, stream, (imb, name, _) => imb.AddSubscription("absent", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask),
            o => o.Provisioning = ProvisioningMode.VerifyOnly));

        Assert.Equal(ImbErrorKind.Consumer, error.Kind);
        Assert.Contains("Consumer absent of stream " + stream, error.Message, StringComparison.Ordinal);
        Assert.Contains("VerifyOnly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ConsumerDeletedUnderVerifyOnly_ReportsFailedThenConsumingOnceItIsBack()
    {
        var stream = nats.NewName("HEALTH");
        await using (await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, _) =>
            imb.AddSubscription("watched", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask)))
        {
            // The owner creates streams and consumer, then goes away.
        }

        await using var verifier = await SubscriptionScenario.StartAsync(
            nats.Url, stream, (imb, name, _) => imb.AddSubscription("watched", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask),
            o => o.Provisioning = ProvisioningMode.VerifyOnly);
        await Waiter.UntilAsync(async _ => (await verifier.HealthAsync()).Status == HealthStatus.Healthy, Waiter.Patience, "the subscription to start consuming", Ct);
        var healthy = await verifier.HealthAsync();

        await verifier.JetStream.DeleteConsumerAsync(stream, "watched", Ct);
        await Waiter.UntilAsync(async _ => (await verifier.HealthAsync()).Status == HealthStatus.Unhealthy, Waiter.Patience, "health to report the failed subscription", Ct);
        var failed = (await verifier.HealthAsync()).Entries["imb"];
        await verifier.JetStream.CreateOrUpdateConsumerAsync(stream, Imb.Subscribing.ConsumerProvisioner.ToConfig("watched", new SubscriptionOptions { Stream = stream }), Ct);
        await Waiter.UntilAsync(async _ => (await verifier.HealthAsync()).Status == HealthStatus.Healthy, Waiter.Patience, "the subscription to recover once the consumer is back", Ct);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("Consuming", healthy.Entries["imb"].Data["subscription.watched.state"]);
        Assert.Equal("Failed", failed.Data["subscription.watched.state"]);
        Assert.Contains("Consumer watched of stream " + stream, failed.Description, StringComparison.Ordinal);
        Assert.Equal(0UL, (await verifier.HealthAsync()).Entries["imb"].Data["subscription.watched.pending"]);
    }
}
