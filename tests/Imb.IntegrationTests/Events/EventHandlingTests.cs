using System.Collections.Concurrent;
using System.Text;
using Imb.Connection;
using Imb.Events;
using Imb.Testing;
using Imb.Tests.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Events;

/// <summary>Typed and pattern event handlers on the shared server; each test owns its consumers and its event subject (a content id).</summary>
public sealed class EventHandlingTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TypedHandler_PinRequested_ReceivesTheTypedData()
    {
        var seen = new Seen();
        await using var host = await StartAsync(seen, imb => imb.AddEventHandler<PinRequested, Recorder<PinRequested>>(nats.NewName("typed"), New));
        var cid = nats.NewName("Qm");
        var sent = host.Get<EventFactory>().Create("api-gateway", cid, new PinRequested(cid, 2048, ["rf-3"], new Dictionary<string, string> { ["zone"] = "a" }, 2, "user7"), "trace-7");

        await host.Get<IEventBus>().PublishAsync(sent, Ct);

        var received = await seen.SingleAsync(cid);
        var data = Assert.IsType<PinRequested>(received.Data);
        Assert.Equal((cid, 2048L, "rf-3", "a", 2, "user7"), (data.Cid, data.Size, data.Policies[0], data.Constraints["zone"], data.Priority, data.RequestedBy));
        Assert.Equal((sent.Id, "trace-7", "api-gateway"), (received.Id, received.TraceId, received.Source));
    }

    [Fact]
    public async Task PatternHandler_PinStar_ReceivesTheThreePinEventsAndNothingElse()
    {
        var seen = new Seen();
        await using var host = await StartAsync(seen, imb => imb.AddEventHandler<PatternRecorder>(nats.NewName("pattern"), "pin.*", New));
        var cid = nats.NewName("Qm");
        var events = host.Get<EventFactory>();
        var bus = host.Get<IEventBus>();

        await bus.PublishAsync(events.Create("gw", cid, new PinRequested(cid, 1, [], new Dictionary<string, string>(), 1, "u")), Ct);
        await bus.PublishAsync(events.Create("gw", cid, new PlanReady(cid, [])), Ct);
        await bus.PublishAsync(events.Create("gw", cid, new PinCompleted(cid, [])), Ct);
        await bus.PublishAsync(events.Create("gw", cid, new NodeDown("n1", "x")), Ct);
        await bus.PublishAsync(events.Create("gw", cid, new PinFailed(cid, "no")), Ct);
        await bus.PublishAsync(events.Create("gw", cid, new ExecCompleted("wf", "done")), Ct);

        await Waiter.UntilAsync(() => seen.For(cid).Count == 3, Waiter.Patience, "three pin events", Ct);
        await MarkAndWaitAsync(host, seen, new PinFailed("marker", "m"));
        Assert.Equal([EventTypes.PinRequested, EventTypes.PinCompleted, EventTypes.PinFailed], seen.For(cid).Select(e => e.Type));
    }

    [Fact]
    public async Task PublishAsync_SameEventTwice_IsStoredAndHandledOnce()
    {
        var seen = new Seen();
        await using var host = await StartAsync(seen, imb => imb.AddEventHandler<NodeUp, Recorder<NodeUp>>(nats.NewName("dedup"), New));
        var cid = nats.NewName("node");
        var once = host.Get<EventFactory>().Create("gw", cid, new NodeUp(cid));

        var first = await host.Get<IEventBus>().PublishAsync(once, Ct);
        var second = await host.Get<IEventBus>().PublishAsync(once, Ct);
        await MarkAndWaitAsync(host, seen, new NodeUp("marker"));

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Single(seen.For(cid));
    }

    [Fact]
    public async Task Reaction_PublishedForARedeliveredEvent_IsStoredOnce()
    {
        var seen = new Seen();
        var acks = new ConcurrentQueue<PublishAck>();
        await using var host = await StartAsync(seen, imb =>
        {
            imb.Services.AddSingleton(acks);
            imb.AddEventHandler<PinRequested, PlanOnceThenFailFirstTime>(nats.NewName("react"), s => { s.Start = SubscriptionStart.New; s.RetryDelay = TimeSpan.FromMilliseconds(50); });
            imb.AddEventHandler<PlanReady, Recorder<PlanReady>>(nats.NewName("plans"), New);
        });
        var cid = nats.NewName("Qm");

        await host.Get<IEventBus>().PublishAsync(host.Get<EventFactory>().Create("gw", cid, new PinRequested(cid, 1, [], new Dictionary<string, string>(), 1, "u")), Ct);
        await Waiter.UntilAsync(() => acks.Count == 2, Waiter.Patience, "the reaction to be published on both deliveries", Ct);
        await MarkAndWaitAsync(host, seen, new PlanReady("marker", []));

        Assert.Equal([false, true], acks.Select(a => a.Duplicate));
        Assert.Single(seen.For(cid));
    }

    [Fact]
    public async Task TypedHandler_MalformedInputs_EachDeadLetteredWithItsReasonAndNeverHandled()
    {
        var seen = new Seen();
        var consumer = nats.NewName("malformed");
        await using var host = await StartAsync(seen, imb => imb.AddEventHandler<PinRequested, Recorder<PinRequested>>(consumer, New));
        var cases = MalformedEvents.Cases.Select(row => (row.Data.Item1, row.Data.Item2)).ToList();

        foreach (var (body, _) in cases)
        {
            await host.Get<IMessageBus>().PublishAsync(EventTypes.SubjectOf(EventTypes.PinRequested), Encoding.UTF8.GetBytes(body), cancellationToken: Ct);
        }

        await Waiter.UntilAsync(() => host.LogsWithEventId(504).Count(r => r.Message.Contains(consumer, StringComparison.Ordinal)) == cases.Count, Waiter.Patience, "every malformed event to be dead-lettered", Ct);
        var reasons = await ReadDeadLetterReasonsAsync(host, consumer);
        Assert.Equal(cases.Count, reasons.Count);
        Assert.All(cases.Zip(reasons), pair => Assert.Contains(pair.First.Item2, pair.Second, StringComparison.Ordinal));
        Assert.Empty(seen.All);
        Assert.Empty(host.LogsWithEventId(503));
    }

    private static void New(SubscriptionOptions options) => options.Start = SubscriptionStart.New;

    /// <summary>Publishes a marker after the events under test: with one handler in order, once the marker is handled every earlier event was too.</summary>
    private static async Task MarkAndWaitAsync<TData>(ImbTestHost host, Seen seen, TData marker)
        where TData : EventData
    {
        var subject = "marker-" + Guid.NewGuid().ToString("N");
        await host.Get<IEventBus>().PublishAsync(host.Get<EventFactory>().Create("test", subject, marker), Ct);
        await Waiter.UntilAsync(() => seen.For(subject).Count == 1, Waiter.Patience, "the marker event", Ct);
    }

    private static async Task<List<string>> ReadDeadLetterReasonsAsync(ImbTestHost host, string consumer) =>
        [.. (await DeadLetterReader.ReadAsync(host.Get<ImbConnection>().JetStream, $"imb.dlq.GDC_EVENTS.{consumer}", Ct)).Select(l => l.Headers!["Imb-Dlq-Reason"].ToString())];

    private async Task<ImbTestHost> StartAsync(Seen seen, Action<IImbBuilder> handlers)
    {
        var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(nats.Url);
            },
            imb =>
            {
                imb.Services.AddSingleton(seen);
                handlers(imb);
            });
        await host.StartAsync();
        return host;
    }

    /// <summary>Every event the test's handlers saw, by envelope subject.</summary>
    internal sealed class Seen
    {
        private readonly ConcurrentQueue<Event> _events = new();

        public IReadOnlyList<Event> All => [.. _events];

        public void Add(Event envelope) => _events.Enqueue(envelope);

        public IReadOnlyList<Event> For(string subject) => [.. _events.Where(e => e.Subject == subject)];

        public async Task<Event> SingleAsync(string subject)
        {
            await Waiter.UntilAsync(() => For(subject).Count > 0, Waiter.Patience, $"an event about {subject}", Ct);
            return Assert.Single(For(subject));
        }
    }

    internal sealed class Recorder<TData>(Seen seen) : IEventHandler<TData>
        where TData : EventData
    {
        public ValueTask HandleAsync(Event envelope, TData data, CancellationToken cancellationToken)
        {
            seen.Add(envelope);
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class PatternRecorder(Seen seen) : IEventPatternHandler
    {
        public ValueTask HandleAsync(Event envelope, CancellationToken cancellationToken)
        {
            seen.Add(envelope);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Reacts with plan.ready, then fails the first delivery after publishing, as a crash after the publish would.</summary>
    internal sealed class PlanOnceThenFailFirstTime(EventFactory events, IEventBus bus, ConcurrentQueue<PublishAck> acks) : IEventHandler<PinRequested>
    {
        public async ValueTask HandleAsync(Event envelope, PinRequested data, CancellationToken cancellationToken)
        {
            acks.Enqueue(await bus.PublishAsync(events.React(envelope, "scheduler", new PlanReady(data.Cid, [new Imb.Events.Placement("n1", "z1")])), cancellationToken));
            if (acks.Count == 1)
            {
                throw new InvalidOperationException("crashed after publishing the reaction");
            }
        }
    }
}
