using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Publishing;

/// <summary>
/// Enqueueing into a stream that allows fast-ingest batches (nats-server 2.14+): the messages travel as batches
/// answered by flow acks, with the guarantees of the usual path: stored once by id, every failure reported, nothing
/// lost when the answers or the connection go. On older servers the declaration is refused, naming the version, and
/// the other cases run on the usual path, which must behave the same.
/// </summary>
public sealed class FastIngestTests(NatsServerFixture nats)
{
    private static readonly Version FastIngest = new(2, 14, 0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueueAsync_StreamAllowsBatches_SentAsBatchesAndStoredOnceByIdOrRefusedNamingTheVersion()
    {
        await using var server = await NatsNode.StartAsync("fast", Path.Combine(nats.Directory, nats.NewName("fast")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        var flowAcks = 0;
        proxy.DropFromServer = (subject, payload) =>
        {
            if (subject.EndsWith(".$FI", StringComparison.Ordinal) && payload.Span.StartsWith("{\"type\":\"ack\""u8))
            {
                Interlocked.Increment(ref flowAcks);
            }

            return false;
        };
        await using var host = Host(proxy.Url, "FAST");
        if (await ServerVersion.OfAsync(server.Url) < FastIngest)
        {
            var refused = await Assert.ThrowsAsync<ImbException>(host.StartAsync);
            Assert.Contains("Stream FAST", refused.Message, StringComparison.Ordinal);
            Assert.Contains("allow_batched", refused.Message, StringComparison.Ordinal);
            Assert.Contains("2.14.0", refused.Message, StringComparison.Ordinal);
            return;
        }

        await host.StartAsync();
        var bus = host.Get<IMessageBus>();
        var failures = Failures(bus);
        const int total = 5_000;
        for (var i = 0; i < total; i++)
        {
            await bus.EnqueueAsync($"fast.{i}", new byte[64], cancellationToken: Ct);
        }

        // The same ids again, in a batch of their own: the stream knows them and stores nothing.
        for (var i = 0; i < 100; i++)
        {
            await bus.EnqueueAsync($"fast.again.{i}", new byte[64], new PublishOptions { MessageId = $"again-{i % 10}" }, Ct);
        }

        await bus.FlushAsync(Ct);
        Assert.Empty(failures);
        Assert.True(flowAcks > 0, "no flow ack came back: the messages did not travel as a fast-ingest batch");
        Assert.Empty(host.LogsWithEventId(408));
        await AssertCountsAsync(host, "FAST", acknowledged: total + 10, lost: 0);
    }

    [Fact]
    public async Task EnqueueAsync_OneMessageRefusedInABatch_OnlyItReportedTheRestStored()
    {
        await using var server = await NatsNode.StartAsync("fast-refused", Path.Combine(nats.Directory, nats.NewName("fast-refused")), cancellationToken: Ct);
        var batched = await ServerVersion.OfAsync(server.Url) >= FastIngest;
        await using var host = Host(server.Url, "FASTREFUSED", s => { s.MaxMessageSize = 256; s.AllowBatched = batched; });
        await host.StartAsync();
        var bus = host.Get<IMessageBus>();
        var failures = Failures(bus);
        const int total = 1_000;
        for (var i = 0; i < total; i++)
        {
            await bus.EnqueueAsync($"fastrefused.{i}", new byte[i == 500 ? 512 : 64], new PublishOptions { MessageId = $"m{i}" }, Ct);
        }

        await bus.FlushAsync(Ct);
        var failure = Assert.Single(failures);
        Assert.Equal("m500", failure.MessageId);
        Assert.Equal(ImbErrorKind.Rejected, failure.Error.Kind);
        Assert.Contains("m500", failure.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(failure.Error.ServerErrorCode);
        await AssertCountsAsync(host, "FASTREFUSED", acknowledged: total - 1, lost: 0);
    }

    [Fact]
    public async Task EnqueueAsync_BatchAnswersLostThenConnectionReset_EveryMessageStoredOnce()
    {
        await using var server = await NatsNode.StartAsync("fast-lost", Path.Combine(nats.Directory, nats.NewName("fast-lost")), cancellationToken: Ct);
        var batched = await ServerVersion.OfAsync(server.Url) >= FastIngest;
        await using var proxy = NatsProxy.Start(server.Url);
        await using var host = Host(proxy.Url, "FASTLOST", s => s.AllowBatched = batched, o => o.Publishing.ResendAfter = TimeSpan.FromMilliseconds(300));
        await host.StartAsync();
        var bus = host.Get<IMessageBus>();
        var failures = Failures(bus);
        const int total = 3_000;

        // Every answer is lost for the first third (batch answers, or publish acks on the usual path), then the
        // connection is reset with more in flight.
        proxy.DropFromServer = (subject, payload) => subject.EndsWith(".$FI", StringComparison.Ordinal) || payload.Span.StartsWith("{\"stream\":"u8);
        for (var i = 0; i < total; i++)
        {
            if (i == total / 3)
            {
                await Waiter.UntilAsync(() => proxy.Dropped > 0, Waiter.Patience, "a batch answer to be dropped", Ct);
                proxy.DropFromServer = null;
            }

            if (i == 2 * total / 3)
            {
                proxy.ResetConnections();
            }

            await bus.EnqueueAsync($"fastlost.{i}", new byte[64], cancellationToken: Ct);
        }

        await bus.FlushAsync(Ct);
        Assert.Empty(failures);
        Assert.True(proxy.Resets > 0);
        Assert.NotEmpty(host.LogsWithEventId(batched ? 408 : 407));
        await AssertCountsAsync(host, "FASTLOST", acknowledged: total, lost: 0);
    }

    private static ImbTestHost Host(string url, string stream, Action<StreamOptions>? declare = null, Action<ImbOptions>? configure = null) =>
        ImbTestHost.CreateExternal(
            [url],
            o =>
            {
                o.ReconnectWait = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(o);
            },
            imb => imb.AddStream(stream, s =>
            {
                s.Subjects.Add(stream.ToLowerInvariant() + ".>");
                s.AllowBatched = true;
                declare?.Invoke(s);
            }));

    private static List<PublishFailure> Failures(IMessageBus bus)
    {
        var failures = new List<PublishFailure>();
        bus.EnqueueFailed += f =>
        {
            lock (failures)
            {
                failures.Add(f);
            }
        };
        return failures;
    }

    /// <summary>One subject per message: distinct subjects count the messages stored, the surplus counts second copies.</summary>
    private static async Task AssertCountsAsync(ImbTestHost host, string stream, int acknowledged, int lost)
    {
        var info = await host.Get<ImbConnection>().JetStream.GetStreamAsync(stream, cancellationToken: Ct);
        var read = (int)info.Info.State.NumSubjects;
        var duplicated = (int)info.Info.State.Messages - read;
        var counts = $"acknowledged {acknowledged}, read {read}, lost {acknowledged - read}, duplicated {duplicated}";
        Assert.True(acknowledged - read == lost && duplicated == 0, counts);
    }
}
