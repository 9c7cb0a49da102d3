using System.Text;
using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Imb.IntegrationTests.Publishing;

public sealed class PublishingTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_ReturnsTheSequence_AndTheSameIdAgainIsADuplicateStoredOnce()
    {
        var (host, stream, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        var first = await bus.PublishAsync(subject + ".a", "one"u8.ToArray(), new PublishOptions { MessageId = "id-1" }, Ct);
        var again = await bus.PublishAsync(subject + ".a", "one"u8.ToArray(), new PublishOptions { MessageId = "id-1" }, Ct);

        Assert.Equal(new PublishAck(stream, 1, false), first);
        Assert.Equal(new PublishAck(stream, 1, true), again);
        Assert.Equal(1, (await host.Get<IImbTopology>().GetStreamAsync(stream, Ct)).Messages);
    }

    [Fact]
    public async Task EnqueueAsync_HundredThousandThenFlush_StoresExactlyThatMany()
    {
        var (host, stream, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        var failures = 0;
        bus.EnqueueFailed += _ => Interlocked.Increment(ref failures);
        var payload = new byte[128];

        for (var i = 0; i < 100_000; i++)
        {
            await bus.EnqueueAsync(subject + ".bulk", payload, cancellationToken: Ct);
        }

        await bus.FlushAsync(Ct);

        Assert.Equal(0, failures);
        Assert.Equal(100_000, (await host.Get<IImbTopology>().GetStreamAsync(stream, Ct)).Messages);
    }

    [Fact]
    public async Task PublishAsync_UncapturedSubject_FailsAtOnceNamingTheSubject()
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var uncaptured = "nowhere." + subject;

        var error = await Assert.ThrowsAsync<ImbException>(async () => await host.Get<IMessageBus>().PublishAsync(uncaptured, "x"u8.ToArray(), cancellationToken: Ct));

        // NoStream, not Timeout: the server's "no responders" answer is taken at once, not waited out.
        Assert.Equal(ImbErrorKind.NoStream, error.Kind);
        Assert.Contains(uncaptured, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidSubjects => new()
    {
        { "", "is empty" },
        { "a b", "whitespace" },
        { "a..b", "empty token" },
        { "a.*", "wildcard" },
        { "a.>", "wildcard" },
        { new string('s', 1025), "longer than" },
    };

    [Theory]
    [MemberData(nameof(InvalidSubjects))]
    public async Task PublishAsync_InvalidSubject_IsRefusedAndTheConnectionStillWorks(string bad, string reason)
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var bus = host.Get<IMessageBus>();

        var error = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(bad, "x"u8.ToArray(), cancellationToken: Ct));

        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, (await bus.PublishAsync(subject + ".ok", "x"u8.ToArray(), cancellationToken: Ct)).Sequence);
    }

    public static TheoryData<string, string, string> InvalidHeaders => new()
    {
        { "Bad Name", "v", "not a token" },
        { "Bad:Name", "v", "not a token" },
        { "", "v", "not a token" },
        { "Good", "line\r\nbreak", "line break" },
        { "Nats-Msg-Id", "mine", "reserved for the server" },
        { "Big", new string('h', 70_000), "at most 65536" },
    };

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public async Task PublishAsync_InvalidHeader_IsRefusedAndTheConnectionStillWorks(string name, string value, string reason)
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        var options = new PublishOptions { Headers = { [name] = value } };

        var error = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".h", "x"u8.ToArray(), options, Ct));

        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, (await bus.PublishAsync(subject + ".ok", "x"u8.ToArray(), cancellationToken: Ct)).Sequence);
    }

    [Fact]
    public async Task PublishAsync_PayloadOverMaxPayload_IsRefusedAndTheConnectionStaysOpen()
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        var maxPayload = host.Get<ImbConnection>().Connection.ServerInfo!.MaxPayload;

        var error = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".big", new byte[maxPayload + 1], cancellationToken: Ct));

        // Just under max_payload alone, over it once the Nats-Msg-Id header Imb adds is counted.
        var withId = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".big", new byte[maxPayload - 10], cancellationToken: Ct));

        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Contains("max_payload", error.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.Invalid, withId.Kind);
        Assert.True(host.Get<IImbServerInfo>().IsConnected);
        Assert.Equal(1UL, (await bus.PublishAsync(subject + ".ok", new byte[1024], cancellationToken: Ct)).Sequence);
    }

    [Fact]
    public async Task PublishAsync_FullStream_GivesStreamFullWithCode10077AndIsNotRetried()
    {
        var (host, _, subject) = await StartAsync(s => { s.MaxMessages = 1; s.Discard = StreamDiscard.New; });
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        await bus.PublishAsync(subject + ".1", "x"u8.ToArray(), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".2", "x"u8.ToArray(), cancellationToken: Ct));

        Assert.Equal(ImbErrorKind.StreamFull, error.Kind);
        Assert.Equal(10077, error.ServerErrorCode);
        Assert.Empty(host.LogsWithEventId(401));
    }

    [Fact]
    public async Task EnqueueAsync_FullStream_IsReportedThroughTheHookTheLogAndTheCounter()
    {
        var (host, _, subject) = await StartAsync(s => { s.MaxMessages = 1; s.Discard = StreamDiscard.New; });
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        var failures = new List<PublishFailure>();
        bus.EnqueueFailed += f => { lock (failures) { failures.Add(f); } };

        await bus.EnqueueAsync(subject + ".1", "x"u8.ToArray(), cancellationToken: Ct);
        await bus.EnqueueAsync(subject + ".2", "x"u8.ToArray(), new PublishOptions { MessageId = "second" }, Ct);
        await bus.FlushAsync(Ct);

        var failure = Assert.Single(failures);
        Assert.Equal("second", failure.MessageId);
        Assert.Equal(ImbErrorKind.StreamFull, failure.Error.Kind);
        Assert.Single(host.LogsWithEventId(404));
    }

    [Fact]
    public async Task PublishAsync_ExpectedLastSequenceMismatch_GivesExpectationFailed()
    {
        var (host, stream, subject) = await StartAsync();
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        await bus.PublishAsync(subject + ".1", "x"u8.ToArray(), cancellationToken: Ct);

        var stale = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".2", "x"u8.ToArray(), new PublishOptions { ExpectedLastSequence = 5 }, Ct));
        var ok = await bus.PublishAsync(subject + ".2", "x"u8.ToArray(), new PublishOptions { ExpectedLastSequence = 1, ExpectedStream = stream }, Ct);
        var wrongStream = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".3", "x"u8.ToArray(), new PublishOptions { ExpectedStream = "OTHER" }, Ct));

        Assert.Equal(ImbErrorKind.ExpectationFailed, stale.Kind);
        Assert.Equal(10071, stale.ServerErrorCode);
        Assert.Equal(2UL, ok.Sequence);
        Assert.Equal(ImbErrorKind.ExpectationFailed, wrongStream.Kind);
    }

    [Fact]
    public async Task RequestAsync_ReturnsTheReply_TheRespondersError_AndTimesOutThroughCancellation()
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var bus = host.Get<IMessageBus>();
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var echo = bus.ServeAsync($"rpc.{subject}.echo", (request, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes("re: " + Encoding.UTF8.GetString(request.Span))), serving.Token);
        var failing = bus.ServeAsync($"rpc.{subject}.fail", (_, _) => throw new InvalidOperationException("no such order 42"), serving.Token);
        var silent = bus.ServeAsync($"rpc.{subject}.slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return ReadOnlyMemory<byte>.Empty; }, serving.Token);
        var reply = await RequestOnceServedAsync(bus, $"rpc.{subject}.echo", "hi"u8.ToArray());
        await RequestOnceServedAsync(bus, $"rpc.{subject}.fail", null);
        await RequestOnceServedAsync(bus, $"rpc.{subject}.slow", null);
        var remote = await Assert.ThrowsAsync<ImbException>(async () => await bus.RequestAsync($"rpc.{subject}.fail", "x"u8.ToArray(), Ct));
        using var shortWait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        shortWait.CancelAfter(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await bus.RequestAsync($"rpc.{subject}.slow", "x"u8.ToArray(), shortWait.Token));
        var nobody = await Assert.ThrowsAsync<ImbException>(async () => await bus.RequestAsync($"rpc.{subject}.nobody", "x"u8.ToArray(), Ct));

        Assert.Equal("re: hi", Encoding.UTF8.GetString(reply.Span));
        Assert.Equal(ImbErrorKind.RemoteError, remote.Kind);
        Assert.Contains("no such order 42", remote.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.NoResponders, nobody.Kind);
        Assert.Equal(2, host.LogsWithEventId(406).Count); // one per failed request: the readiness probe's and the test's
        await serving.CancelAsync();
        await Task.WhenAll(echo, failing, silent);
    }

    [Fact]
    public async Task NotifyAsync_DeliversAtMostOnceWithoutAStream()
    {
        var (host, _, subject) = await StartAsync();
        await using var __ = host;
        var connection = host.Get<ImbConnection>().Connection;
        await using var subscription = await connection.SubscribeCoreAsync<ReadOnlyMemory<byte>>($"note.{subject}", cancellationToken: Ct);
        await connection.PingAsync(Ct);

        await host.Get<IMessageBus>().NotifyAsync($"note.{subject}", "ping"u8.ToArray(), new Dictionary<string, string> { ["Kind"] = "test" }, Ct);

        var received = await subscription.Msgs.ReadAsync(Ct);
        Assert.Equal("ping", Encoding.UTF8.GetString(received.Data.Span));
        Assert.Equal("test", received.Headers!["Kind"].ToString());
    }

    /// <summary>Waits until a responder serves the subject (its subscription reaches the server asynchronously).</summary>
    private static async Task<ReadOnlyMemory<byte>> RequestOnceServedAsync(IMessageBus bus, string subject, byte[]? payload)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                // Without a payload only readiness is probed: any answer (or error, or a wait) means someone listens.
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                probe.CancelAfter(TimeSpan.FromMilliseconds(payload is null ? 100 : 5000));
                return await bus.RequestAsync(subject, payload ?? [], probe.Token);
            }
            catch (ImbException e) when (e.Kind == ImbErrorKind.NoResponders)
            {
                await Task.Yield();
            }
            catch (Exception e) when (payload is null && e is ImbException or OperationCanceledException && !deadline.IsCancellationRequested)
            {
                return ReadOnlyMemory<byte>.Empty;
            }
        }
    }

    /// <summary>A host on the shared server with one fresh stream over <c>&lt;subject&gt;.&gt;</c>.</summary>
    private async Task<(ImbTestHost Host, string Stream, string Subject)> StartAsync(Action<StreamOptions>? configure = null)
    {
        var stream = nats.NewName("PUB");
        var subject = stream.ToLowerInvariant();
        var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(nats.Url);
                o.DefaultTopology = false;
            },
            imb => imb.AddStream(stream, s =>
            {
                s.Subjects.Add(subject + ".>");
                configure?.Invoke(s);
            }));
        await host.StartAsync();
        return (host, stream, subject);
    }
}
