using System.Collections.Concurrent;
using System.Text;
using Imb.Events;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>
/// The contract the in-memory mode keeps with NATS, written once and run against both (<see cref="InMemoryContractTests"/>,
/// <see cref="NatsContractTests"/>). Every behaviour the in-memory mode claims is here.
/// Behaviours of NATS only, and so not in this suite: replication and cluster failover, surviving server restarts,
/// durability across host restarts (the in-memory broker lives and dies with its host),
/// ack waits and progress acks (in memory a handler holds its message until it returns), and limits from the
/// server's configuration other than the default max_payload of 1 MiB. Every stream setting both modes accept is
/// enforced alike (BusContractTests.Limits.cs), and so is where a consumer starts and MaxAckPending (.Delivery.cs).
/// </summary>
public abstract partial class BusContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sets the mode (and server) on the options of a host the suite creates.</summary>
    protected abstract void UseMode(ImbOptions options);

    /// <summary>Gets a value indicating whether streams outlive the host that declared them (a server), or live with it (memory).</summary>
    protected abstract bool BrokerOutlivesHost { get; }

    [Fact]
    public async Task Publish_SameIdTwice_SecondIsADuplicateAndNotStored()
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        var first = await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), new PublishOptions { MessageId = "same" }, Ct);
        var again = await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), new PublishOptions { MessageId = "same" }, Ct);
        var next = await bus.PublishAsync(subject + ".a", "2"u8.ToArray(), cancellationToken: Ct);

        Assert.Equal((1UL, false), (first.Sequence, first.Duplicate));
        Assert.Equal((1UL, true), (again.Sequence, again.Duplicate));
        Assert.Equal(2UL, next.Sequence);
    }

    [Fact]
    public async Task Publish_AgainWithTheIdImbGenerated_IsADuplicate()
    {
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) => imb.AddSubscription("echo", s => s.Stream = stream, (_, _, _) => ValueTask.CompletedTask));
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        var bus = host.Get<IMessageBus>();

        var first = await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), cancellationToken: Ct);
        var delivered = await recorder.WaitForHandledAsync("echo", _ => true, Waiter.Patience, Ct);
        var again = await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), new PublishOptions { MessageId = delivered.MessageId }, Ct);

        Assert.Equal(26, delivered.MessageId!.Length);
        Assert.Equal(delivered.MessageId, delivered.Headers["Nats-Msg-Id"]);
        Assert.Equal((first.Sequence, true), (again.Sequence, again.Duplicate));
    }

    [Theory]
    [InlineData("nowhere.at.all", ImbErrorKind.NoStream)]
    [InlineData("{0}.a.*", ImbErrorKind.Invalid)]
    [InlineData("{0}..a", ImbErrorKind.Invalid)]
    [InlineData("{0}.a b", ImbErrorKind.Invalid)]
    public async Task Publish_UncapturedOrInvalidSubject_FailsTheSameWay(string pattern, ImbErrorKind kind)
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;

        var error = await Assert.ThrowsAsync<ImbException>(async () =>
            await host.Get<IMessageBus>().PublishAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, subject), "x"u8.ToArray(), cancellationToken: Ct));

        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task Publish_PayloadAtTheDefaultMaxPayload_StoredAndOneByteMoreRefused()
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        // nats-server's default max_payload (1 MiB) covers the headers too: Imb's generated Nats-Msg-Id takes 53 bytes.
        const int Limit = (1024 * 1024) - 53;
        var stored = await bus.PublishAsync($"{subject}.big", new byte[Limit], cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync($"{subject}.big", new byte[Limit + 1], cancellationToken: Ct));

        Assert.False(stored.Duplicate);
        Assert.Equal(ImbErrorKind.Invalid, refused.Kind);
        Assert.Contains("max_payload", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ExpectationsAndFullStream_AreTypedErrorsWithTheServersCodes()
    {
        var (host, subject) = await StartAsync(s => { s.MaxMessages = 2; s.Discard = StreamDiscard.New; });
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), cancellationToken: Ct);

        var stale = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".a", "x"u8.ToArray(), new PublishOptions { ExpectedLastSequence = 7 }, Ct));
        await bus.PublishAsync(subject + ".a", "2"u8.ToArray(), new PublishOptions { ExpectedLastSequence = 1 }, Ct);
        var full = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".a", "3"u8.ToArray(), cancellationToken: Ct));

        Assert.Equal((ImbErrorKind.ExpectationFailed, 10071), (stale.Kind, stale.ServerErrorCode));
        Assert.Equal((ImbErrorKind.StreamFull, 10077), (full.Kind, full.ServerErrorCode));
    }

    [Fact]
    public async Task Subscription_FilterWithWildcards_GetsWhatNatsWouldInStreamOrder()
    {
        var seen = new ConcurrentQueue<string>();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, prefix) =>
            imb.AddSubscription("created", s => { s.Stream = stream; s.FilterSubject = prefix + ".*.created"; }, (m, _, _) => { seen.Enqueue(m.Subject); return ValueTask.CompletedTask; }));
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        foreach (var suffix in new[] { "a.created", "a.b.created", "b.deleted", "b.created", "created" })
        {
            await bus.PublishAsync($"{subject}.{suffix}", "x"u8.ToArray(), cancellationToken: Ct);
        }

        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        await bus.PublishAsync($"{subject}.z.created", "last"u8.ToArray(), cancellationToken: Ct);
        await recorder.WaitForHandledAsync("created", m => m.Subject.EndsWith(".z.created", StringComparison.Ordinal), Waiter.Patience, Ct);

        Assert.Equal([$"{subject}.a.created", $"{subject}.b.created", $"{subject}.z.created"], seen);
    }

    [Fact]
    public async Task Subscription_HundredMessagesConcurrencyOne_HandledInPublishOrder()
    {
        var seen = new ConcurrentQueue<int>();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("ordered", s => s.Stream = stream, (m, _, _) => { seen.Enqueue(int.Parse(Encoding.UTF8.GetString(m.Data.Span), System.Globalization.CultureInfo.InvariantCulture)); return ValueTask.CompletedTask; }));
        await using var _ = host;

        for (var i = 0; i < 100; i++)
        {
            await host.Get<IMessageBus>().EnqueueAsync($"{subject}.k{i % 3}", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken: Ct);
        }

        await host.Get<IMessageBus>().FlushAsync(Ct);
        await Waiter.UntilAsync(() => seen.Count == 100, Waiter.Patience, "100 messages", Ct);
        Assert.Equal(Enumerable.Range(0, 100), seen);
    }

    [Fact]
    public async Task Handler_FailingTwice_IsRedeliveredNoSoonerThanTheDelayThenAcked()
    {
        var times = new ConcurrentQueue<long>();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("retry", s => { s.Stream = stream; s.RetryDelay = TimeSpan.FromMilliseconds(200); }, (m, _, _) =>
            {
                times.Enqueue(TimeProvider.System.GetTimestamp());
                return m.DeliveryCount < 3 ? throw new InvalidOperationException("not yet") : ValueTask.CompletedTask;
            }));
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);

        await host.Get<IMessageBus>().PublishAsync(subject + ".r", "x"u8.ToArray(), cancellationToken: Ct);

        var handled = await recorder.WaitForHandledAsync("retry", _ => true, Waiter.Patience, Ct);
        var t = times.ToArray();
        Assert.Equal(3, handled.DeliveryCount);
        Assert.True(TimeProvider.System.GetElapsedTime(t[0], t[1]) >= TimeSpan.FromMilliseconds(200));
        Assert.True(TimeProvider.System.GetElapsedTime(t[1], t[2]) >= TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Handler_AlwaysFailingAndPoison_EndAsDeadLettersWithTheirHeaders()
    {
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("doomed", s => { s.Stream = stream; s.MaxDeliver = 2; s.RetryDelay = TimeSpan.FromMilliseconds(20); }, (m, _, _) =>
                throw (m.Subject.EndsWith(".poison", StringComparison.Ordinal) ? new ImbException("bad bytes") { Kind = ImbErrorKind.Poison } : new InvalidOperationException("down"))));
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        var bus = host.Get<IMessageBus>();

        var failing = await bus.PublishAsync(subject + ".fail", "f"u8.ToArray(), new PublishOptions { Headers = { ["Tenant"] = "acme" } }, Ct);
        await bus.PublishAsync(subject + ".poison", "p"u8.ToArray(), cancellationToken: Ct);

        var letter = await recorder.WaitForDeadLetteredAsync(m => m.Headers["Imb-Dlq-Subject"] == subject + ".fail", Waiter.Patience, Ct);
        var poison = await recorder.WaitForDeadLetteredAsync(m => m.Headers["Imb-Dlq-Subject"] == subject + ".poison", Waiter.Patience, Ct);
        Assert.Equal($"imb.dlq.{failing.Stream}.doomed", letter.Subject);
        Assert.Equal("f", Encoding.UTF8.GetString(letter.Data.Span));
        Assert.Equal(("acme", "2", failing.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), (letter.Headers["Tenant"], letter.Headers["Imb-Dlq-Deliveries"], letter.Headers["Imb-Dlq-Sequence"]));
        Assert.Equal("Failed on delivery 2 of 2: InvalidOperationException: down", letter.Headers["Imb-Dlq-Reason"]);
        Assert.Equal(("1", "Poison: bad bytes"), (poison.Headers["Imb-Dlq-Deliveries"], poison.Headers["Imb-Dlq-Reason"]));
    }

    [Fact]
    public async Task RequestReply_ReplyRemoteErrorAndNoResponders()
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var echo = bus.ServeAsync($"rpc.{subject}.echo", (r, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(r.ToArray().Reverse().ToArray()), serving.Token);
        var failing = bus.ServeAsync($"rpc.{subject}.fail", (_, _) => throw new InvalidOperationException("order 42 unknown"), serving.Token);

        var reply = await RetryUntilServedAsync(() => bus.RequestAsync($"rpc.{subject}.echo", "abc"u8.ToArray(), Ct));
        var remote = await Assert.ThrowsAsync<ImbException>(async () => await RetryUntilServedAsync(() => bus.RequestAsync($"rpc.{subject}.fail", "x"u8.ToArray(), Ct)));
        var nobody = await Assert.ThrowsAsync<ImbException>(async () => await bus.RequestAsync($"rpc.{subject}.none", "x"u8.ToArray(), Ct));

        Assert.Equal("cba", Encoding.UTF8.GetString(reply.Span));
        Assert.Equal(ImbErrorKind.RemoteError, remote.Kind);
        Assert.Contains("order 42 unknown", remote.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.NoResponders, nobody.Kind);
        await serving.CancelAsync();
        await Task.WhenAll(echo, failing);
    }

    [Fact]
    public async Task Events_TypedHandlerAndReactionToARepeatedCause_StoredAndHandledOnce()
    {
        var plans = new ConcurrentQueue<Event>();
        var cid = "Qm" + Guid.NewGuid().ToString("N")[..12];
        var consumer = "plans_" + Guid.NewGuid().ToString("N")[..8];
        var (host, _) = await StartAsync(subscribe: (imb, _, _) =>
        {
            imb.Services.AddSingleton(plans);
            imb.AddEventHandler<PlanReady, PlanRecorder>(consumer, s => s.Start = SubscriptionStart.New);
        });
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, ["gdc.events.>"], Ct);
        var events = host.Get<EventFactory>();
        var cause = events.Create("gw", cid, new PinRequested(cid, 1, [], new Dictionary<string, string>(), 1, "u"));

        var first = await host.Get<IEventBus>().PublishAsync(events.React(cause, "scheduler", new PlanReady(cid, [])), Ct);
        var again = await host.Get<IEventBus>().PublishAsync(events.React(cause, "scheduler", new PlanReady(cid, [])), Ct);
        await host.Get<IEventBus>().PublishAsync(events.Create("gw", "marker-" + cid, new PlanReady("m", [])), Ct);
        await recorder.WaitForHandledAsync(consumer, m => m.Data.Span.IndexOf(Encoding.UTF8.GetBytes("marker-" + cid)) >= 0, Waiter.Patience, Ct);

        Assert.Equal((false, true), (first.Duplicate, again.Duplicate));
        Assert.Single(plans, e => e.Subject == cid);
    }

    [Fact]
    public async Task Recorder_NothingMatches_TimesOutListingWhatWasSeen()
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        await host.Get<IMessageBus>().PublishAsync(subject + ".seen", "x"u8.ToArray(), cancellationToken: Ct);
        await recorder.WaitForPublishedAsync(m => m.Subject == subject + ".seen", Waiter.Patience, Ct);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => recorder.WaitForPublishedAsync(m => m.Subject == "never", TimeSpan.FromMilliseconds(200), Ct));

        Assert.Contains(subject + ".seen", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What a test records: its own subjects and dead letters, never '>' (interest in every subject of the shared server).</summary>
    private static string[] Recorded(string subject) => [subject + ".>", "imb.dlq.>"];

    /// <summary>Starts a host with a stream of its own; <paramref name="seed"/> publishes before any consumer exists.</summary>
    private async Task<(ImbTestHost Host, string Subject)> StartAsync(
        Action<StreamOptions>? stream = null, Action<IImbBuilder, string, string>? subscribe = null, Action<ImbOptions>? options = null,
        Func<IMessageBus, string, Task>? seed = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var name = "C_" + id;
        var subject = "c" + id;
        ImbTestHost Create(bool subscribed) => ImbTestHost.Create(o => { UseMode(o); options?.Invoke(o); }, imb =>
        {
            imb.AddStream(name, s =>
            {
                s.Subjects.Add(subject + ".>");
                stream?.Invoke(s);
            });
            if (subscribed)
            {
                subscribe?.Invoke(imb, name, subject);
            }
        });

        if (seed is not null && BrokerOutlivesHost)
        {
            // On a server the stream outlives a host: one without subscriptions stores the messages first.
            await using var seeder = Create(subscribed: false);
            await seeder.StartAsync();
            await seed(seeder.Get<IMessageBus>(), subject);
        }

        var host = Create(subscribed: true);
        if (seed is not null && !BrokerOutlivesHost)
        {
            // In memory the broker lives with its host: its bus stores them before the host starts its subscriptions.
            await seed(host.Get<IMessageBus>(), subject);
        }

        await host.StartAsync();
        return (host, subject);
    }
}
