using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.IntegrationTests.Streams;

public sealed class StreamProvisioningTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_FreshServer_CreatesTheDefaultTopologyExactlyAsDeclared()
    {
        await using var host = ImbTestHost.CreateEmbedded(Path.Combine(nats.Directory, nats.NewName("store")), imb: imb => imb.AddEvents());

        await host.StartAsync();

        var js = host.Get<ImbConnection>().JetStream;
        var system = (await js.GetStreamAsync("SYSTEM", cancellationToken: Ct)).Info.Config;
        var events = (await js.GetStreamAsync("GDC_EVENTS", cancellationToken: Ct)).Info.Config;
        var deadLetters = (await js.GetStreamAsync("IMB_DLQ", cancellationToken: Ct)).Info.Config;
        Assert.Equal(["system.>"], system.Subjects!);
        Assert.Equal(["gdc.events.>"], events.Subjects!);
        Assert.Equal(["imb.dlq.>"], deadLetters.Subjects!);
        Assert.Equal(TimeSpan.FromHours(24), events.MaxAge);
        Assert.Equal(1L << 30, events.MaxBytes);
        Assert.Equal(1_000_000, events.MaxMsgs);
        Assert.Equal(1, events.NumReplicas);
        Assert.All([system, events, deadLetters], c =>
        {
            Assert.Equal(StreamConfigStorage.File, c.Storage);
            Assert.Equal(StreamConfigRetention.Limits, c.Retention);
            Assert.Equal(TimeSpan.FromMinutes(2), c.DuplicateWindow);
        });
        Assert.Equal(3, host.LogsWithEventId(302).Count);
    }

    [Fact]
    public async Task StartAsync_Again_WritesNothing()
    {
        var store = Path.Combine(nats.Directory, nats.NewName("store"));
        StreamInfo before;
        await using (var first = ImbTestHost.CreateEmbedded(store, imb: imb => imb.AddEvents()))
        {
            await first.StartAsync();
            before = (await first.Get<ImbConnection>().JetStream.GetStreamAsync("GDC_EVENTS", cancellationToken: Ct)).Info;
        }

        await using var second = ImbTestHost.CreateEmbedded(store, imb: imb => imb.AddEvents());
        await second.StartAsync();

        var after = (await second.Get<ImbConnection>().JetStream.GetStreamAsync("GDC_EVENTS", cancellationToken: Ct)).Info;
        Assert.Equal(before.Created, after.Created);
        Assert.Empty(Imb.Streams.StreamConfigMapper.Compare(before.Config, after.Config));
        Assert.Equal(3, second.LogsWithEventId(301).Count);
        Assert.Empty(second.LogsWithEventId(302));
        Assert.Empty(second.LogsWithEventId(304));
    }

    [Fact]
    public async Task StartAsync_ChangedMaxAge_IsAppliedAndTheDiffLogged()
    {
        var (name, subject) = NewStream();
        await using (var first = ExternalHost(name, s => { s.Subjects.Add(subject); s.MaxAge = TimeSpan.FromHours(1); }))
        {
            await first.StartAsync();
        }

        await using var second = ExternalHost(name, s => { s.Subjects.Add(subject); s.MaxAge = TimeSpan.FromHours(2); });
        await second.StartAsync();

        var info = await second.Get<IImbTopology>().GetStreamAsync(name, Ct);
        var config = (await second.Get<ImbConnection>().JetStream.GetStreamAsync(name, cancellationToken: Ct)).Info.Config;
        Assert.Equal(TimeSpan.FromHours(2), config.MaxAge);
        Assert.True(info.Owned);
        var drift = Assert.Single(second.LogsWithEventId(303));
        Assert.Contains("MaxAge", drift.Message, StringComparison.Ordinal);
        Assert.Contains("declared 02:00:00, server has 01:00:00", drift.Message, StringComparison.Ordinal);
        Assert.Single(second.LogsWithEventId(304));
    }

    [Fact]
    public async Task StartAsync_ChangedStorage_FailsNamingTheFieldAndChangesNothing()
    {
        var (name, subject) = NewStream();
        await using (var first = ExternalHost(name, s => s.Subjects.Add(subject)))
        {
            await first.StartAsync();
        }

        await using var second = ExternalHost(name, s => { s.Subjects.Add(subject); s.Storage = StreamStorage.Memory; });
        var error = await Assert.ThrowsAsync<ImbException>(second.StartAsync);

        Assert.Contains($"Stream {name}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage", error.Message, StringComparison.Ordinal);
        Assert.Contains("never deletes and recreates", error.Message, StringComparison.Ordinal);
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        var stored = await new NatsJSContext(connection).GetStreamAsync(name, cancellationToken: Ct);
        Assert.Equal(StreamConfigStorage.File, stored.Info.Config.Storage);
    }

    [Fact]
    public async Task StartAsync_FourHostsAtOnce_LeaveOneStreamAndNoError()
    {
        var (name, subject) = NewStream();
        var hosts = Enumerable.Range(0, 4).Select(_ => ExternalHost(name, s => s.Subjects.Add(subject))).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));

            var streams = await hosts[0].Get<IImbTopology>().ListStreamsAsync(Ct);
            Assert.Single(streams, s => s.Subjects.Contains(subject));
            // nats-server answers an identical concurrent create with success, so more than one host may log it.
            Assert.InRange(hosts.Sum(h => h.LogsWithEventId(302).Count), 1, 4);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StartAsync_SubjectsOverlapAStreamOnTheServer_FailsNamingBothStreams()
    {
        var (other, otherSubject) = NewStream();
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url }))
        {
            await new NatsJSContext(connection).CreateStreamAsync(new StreamConfig(other, [otherSubject]), Ct);
        }

        var mine = nats.NewName("MINE");
        await using var host = ExternalHost(mine, s => s.Subjects.Add(otherSubject.Replace(">", "a.>", StringComparison.Ordinal)));
        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains(mine, error.Message, StringComparison.Ordinal);
        Assert.Contains(other, error.Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Compression_RefusedNamingTheVersionWhereTheServerWouldIgnoreItAppliedWhereItCan()
    {
        var (name, subject) = NewStream();
        await using var host = ExternalHost(name, s => { s.Subjects.Add(subject); s.Compressed = true; });

        if (await ServerVersionAsync() < new Version(2, 10, 0))
        {
            // nats-server 2.9 accepts compression and silently drops it: Imb refuses it up front.
            var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);
            Assert.Contains($"Stream {name}", error.Message, StringComparison.Ordinal);
            Assert.Contains("compression", error.Message, StringComparison.Ordinal);
            Assert.Contains("2.10.0", error.Message, StringComparison.Ordinal);
            Assert.Contains("2.9.10", error.Message, StringComparison.Ordinal);
            return;
        }

        await host.StartAsync();
        var stored = await host.Get<ImbConnection>().JetStream.GetStreamAsync(name, cancellationToken: Ct);
        Assert.Equal(StreamConfigCompression.S2, stored.Info.Config.Compression);
    }

    [Fact]
    public async Task Topology_ListInfoPurgeDelete_WorkOnOwnedStreamsOnly()
    {
        var (name, subject) = NewStream();
        var (foreign, foreignSubject) = NewStream();
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        var js = new NatsJSContext(connection);
        await js.CreateStreamAsync(new StreamConfig(foreign, [foreignSubject]), Ct);
        await using var host = ExternalHost(null, null);
        await host.StartAsync();
        var topology = host.Get<IImbTopology>();

        var created = await topology.EnsureStreamAsync(name, new StreamOptions { Subjects = { subject } }, Ct);
        for (var i = 0; i < 3; i++)
        {
            await js.PublishAsync(subject.Replace(">", "x", StringComparison.Ordinal), i, cancellationToken: Ct);
        }

        var filled = await topology.GetStreamAsync(name, Ct);
        Assert.True(created.Owned);
        Assert.Equal(3, filled.Messages);
        Assert.Equal(3UL, filled.LastSequence);
        Assert.Contains(await topology.ListStreamsAsync(Ct), s => s.Name == foreign && !s.Owned);
        Assert.Equal(3, await topology.PurgeStreamAsync(name, Ct));
        var refused = await Assert.ThrowsAsync<ImbException>(async () => await topology.DeleteStreamAsync(foreign, Ct));
        Assert.Contains(foreign, refused.Message, StringComparison.Ordinal);
        await topology.DeleteStreamAsync(name, Ct);
        var gone = await Assert.ThrowsAsync<ImbException>(async () => await topology.GetStreamAsync(name, Ct));
        var deletedTwice = await Assert.ThrowsAsync<ImbException>(async () => await topology.DeleteStreamAsync(name, Ct));
        Assert.Contains("does not exist", gone.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.NoStream, deletedTwice.Kind);
        Assert.Contains(name, deletedTwice.Message, StringComparison.Ordinal);

        // Run-time declarations follow the same version gate as declared streams.
        var zipped = new StreamOptions { Subjects = { subject.Replace(">", "zip", StringComparison.Ordinal) }, Compressed = true };
        if (await ServerVersionAsync() < new Version(2, 10, 0))
        {
            var unsupported = await Assert.ThrowsAsync<ImbException>(async () => await topology.EnsureStreamAsync(nats.NewName("ZIP"), zipped, Ct));
            Assert.Contains("2.10.0", unsupported.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.True((await topology.EnsureStreamAsync(nats.NewName("ZIP"), zipped, Ct)).Owned);
        }
    }

    /// <summary>The shared server's version: what a test may expect of a feature depends on it.</summary>
    private Task<Version> ServerVersionAsync() => ServerVersion.OfAsync(nats.Url);

    private (string Name, string Subject) NewStream()
    {
        var name = nats.NewName("S");
        return (name, $"{name.ToLowerInvariant()}.>");
    }

    /// <summary>A host on the shared server without the default topology, declaring one stream of its own.</summary>
    private ImbTestHost ExternalHost(string? stream, Action<StreamOptions>? configure) => ImbTestHost.Create(
        o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(nats.Url);
            o.DefaultTopology = false;
        },
        imb =>
        {
            if (stream is not null)
            {
                imb.AddStream(stream, configure!);
            }
        });
}
