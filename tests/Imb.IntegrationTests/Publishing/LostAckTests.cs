using System.Diagnostics;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Publishing;

/// <summary>
/// Publishes whose ack never arrives (dropped on the way back, or lost with a reset connection): each is settled by
/// sending it again under the same id, which the stream answers as a duplicate, long before a whole AckTimeout.
/// </summary>
public sealed class LostAckTests(NatsServerFixture nats)
{
    private const int Total = 100;
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    // Shorter than the default (1 s) so that twenty lost acks take seconds, not most of a minute.
    private static readonly TimeSpan ResendAfter = TimeSpan.FromMilliseconds(250);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_EveryFifthAckDropped_EachSettledBeforeItsAckTimeoutAndStoredOnce()
    {
        await using var server = await NatsNode.StartAsync("lost-ack", Path.Combine(nats.Directory, nats.NewName("lost-ack")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        await using var host = await StartAsync(proxy.Url, "LOSTACK");
        var bus = host.Get<IMessageBus>();
        var acks = 0;
        proxy.DropFromServer = (_, payload) => IsPublishAck(payload) && Interlocked.Increment(ref acks) % 5 == 0;

        var slowest = TimeSpan.Zero;
        var all = Stopwatch.StartNew();
        for (var i = 0; i < Total; i++)
        {
            var one = Stopwatch.StartNew();
            var ack = await bus.PublishAsync($"lostack.{i}", new byte[16], cancellationToken: Ct);
            Assert.Equal((ulong)(i + 1), ack.Sequence);
            slowest = one.Elapsed > slowest ? one.Elapsed : slowest;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Total} publishes, {proxy.Dropped} acks dropped: {all.Elapsed.TotalSeconds:F1} s in all, slowest {slowest.TotalMilliseconds:F0} ms (ResendAfter {ResendAfter.TotalMilliseconds} ms, AckTimeout {AckTimeout.TotalSeconds} s)");
        Assert.True(proxy.Dropped >= Total / 5);
        Assert.True(slowest < AckTimeout, $"the slowest publish took {slowest}, a whole AckTimeout");
        await AssertStoredOnceAsync(host, "LOSTACK", Total);
    }

    [Fact]
    public async Task EnqueueAsync_ConnectionResetWhileAcksAreOutstanding_FlushedBeforeAnAckTimeoutAndStoredOnce()
    {
        await using var server = await NatsNode.StartAsync("reset-ack", Path.Combine(nats.Directory, nats.NewName("reset-ack")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        await using var host = await StartAsync(proxy.Url, "RESETACK");
        var bus = host.Get<IMessageBus>();
        var failures = 0;
        bus.EnqueueFailed += _ => Interlocked.Increment(ref failures);

        // Every ack is held back until the reset, so every enqueued message awaits its ack when the connection goes.
        proxy.DropFromServer = (_, payload) => IsPublishAck(payload);
        for (var i = 0; i < Total; i++)
        {
            await bus.EnqueueAsync($"resetack.{i}", new byte[16], cancellationToken: Ct);
        }

        await Waiter.UntilAsync(() => proxy.Dropped >= Total, Waiter.Patience, "the server to have answered every message", Ct);
        var flushed = Stopwatch.StartNew();
        proxy.DropFromServer = null;
        proxy.ResetConnections();
        await bus.FlushAsync(Ct);

        TestContext.Current.TestOutputHelper?.WriteLine($"{Total} messages whose acks were lost in a reset flushed {flushed.Elapsed.TotalMilliseconds:F0} ms after it");
        Assert.True(flushed.Elapsed < AckTimeout, $"the flush took {flushed.Elapsed}, a whole AckTimeout");
        Assert.Equal(0, failures);
        await AssertStoredOnceAsync(host, "RESETACK", Total);
    }

    // A JetStream publish ack is JSON that starts with the stream's name; nothing else the server sends here does.
    private static bool IsPublishAck(ReadOnlyMemory<byte> payload) => payload.Span.StartsWith("{\"stream\":"u8);

    private static async Task<ImbTestHost> StartAsync(string url, string stream)
    {
        var host = ImbTestHost.CreateExternal(
            [url],
            o =>
            {
                o.Publishing.AckTimeout = AckTimeout;
                o.Publishing.ResendAfter = ResendAfter;
            },
            imb => imb.AddStream(stream, s => s.Subjects.Add(stream.ToLowerInvariant() + ".>")));
        await host.StartAsync();
        return host;
    }

    /// <summary>One subject per message: the stream's subject count then counts distinct messages, so a second copy shows.</summary>
    private static async Task AssertStoredOnceAsync(ImbTestHost host, string stream, int total)
    {
        var info = await host.Get<Imb.Connection.ImbConnection>().JetStream.GetStreamAsync(stream, cancellationToken: Ct);
        Assert.Equal(total, (int)info.Info.State.Messages);
        Assert.Equal(total, info.Info.State.NumSubjects);
    }
}
