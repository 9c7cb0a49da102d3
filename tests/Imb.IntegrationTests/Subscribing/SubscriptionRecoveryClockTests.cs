using Imb.Streams;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Imb.Tests;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>A subscription's recovery loop on a fake clock, against a real server: backoff, its cap, and the way back.</summary>
public sealed class SubscriptionRecoveryClockTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscription_StreamGoneUntilRecreated_RetriesWithDoublingCappedDelaysThenRecovers()
    {
        var time = new CountingTimeProvider();
        var name = nats.NewName("CLOCK");
        var subject = name.ToLowerInvariant();
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(nats.Url);
                o.DefaultTopology = false;
                o.Subscribing.ConsumerCheckInterval = TimeSpan.FromSeconds(1);
                o.Subscribing.MaxRecoveryDelay = TimeSpan.FromSeconds(2);
            },
            imb =>
            {
                imb.Services.AddSingleton<TimeProvider>(time);
                imb.AddStream(name, s => s.Subjects.Add(subject + ".>"));
                // The shared server's dead-letter stream, declared as every test on it declares it.
                imb.AddStream(DefaultTopology.DeadLetters, DefaultTopology.Core[DefaultTopology.DeadLetters]);
                imb.AddSubscription("clock", s => s.Stream = name, (_, _, _) =>
                {
                    handled.TrySetResult();
                    return ValueTask.CompletedTask;
                });
            });
        await host.StartAsync();
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        var js = new NatsJSContext(connection);

        // The stream (and its consumer) deleted from outside: a consumer check (every second of the fake clock) finds it gone.
        // The clock is moved on until the next thing happens: a recovery delay depends on the failures so far, not on
        // the time that passed, so moving it too far, or before the loop waits, changes nothing of what is asserted.
        await js.DeleteStreamAsync(name, Ct);
        var delays = new List<TimeSpan>();
        var step = TimeSpan.FromSeconds(1);
        while (delays.Count < 7)
        {
            await Waiter.UntilAsync(() => { time.Advance(step); return Failures(host).Count > delays.Count; }, Waiter.Patience, $"recovery failure {delays.Count + 1}", Ct);
            delays.Add(LoggedDelay.Of(Failures(host)[delays.Count]));
            step = delays[^1];
        }

        await js.CreateStreamAsync(new StreamConfig(name, [subject + ".>"]), Ct);
        await Waiter.UntilAsync(() => { time.Advance(step); return host.LogsWithEventId(508).Count == 1; }, Waiter.Patience, "the subscription to recover", Ct);
        await host.Get<IMessageBus>().PublishAsync(subject + ".after", "x"u8.ToArray(), cancellationToken: Ct);
        await handled.Task.WaitAsync(Waiter.Patience, Ct);

        Assert.Equal([0.1, 0.2, 0.4, 0.8, 1.6, 2, 2], delays.Select(d => d.TotalSeconds));
        Assert.Contains($"recovered after {Failures(host).Count} failures", host.LogsWithEventId(508)[0].Message, StringComparison.Ordinal);
        Assert.All(Failures(host).Skip(7), failure => Assert.Equal(TimeSpan.FromSeconds(2), LoggedDelay.Of(failure)));
    }

    private static List<FakeLogRecord> Failures(ImbTestHost host) => [.. host.LogsWithEventId(507)];
}
