using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Publishing;

public sealed class PublishingThroughServerCrashTests(NatsServerFixture nats)
{
    private const int Total = 20_000;

    /// <param name="batched">Into a stream that allows fast-ingest batches, where the server has them (2.14+); the usual path elsewhere.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnqueueAsync_ServerKilledAndRestartedPartWay_StoresEveryMessageExactlyOnceOrReportsIt(bool batched)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await NatsNode.StartAsync("crash", Path.Combine(nats.Directory, nats.NewName("crash")), cancellationToken: ct);
        batched &= await ServerVersion.OfAsync(server.Url) >= new Version(2, 14, 0);
        await using var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(server.Url);
                o.DefaultTopology = false;
                o.ReconnectWait = TimeSpan.FromMilliseconds(50);
                o.Publishing.AckTimeout = TimeSpan.FromSeconds(1);
            },
            imb => imb.AddStream("CRASH", s =>
            {
                s.Subjects.Add("crash.>");
                s.AllowBatched = batched;
            }));
        await host.StartAsync();
        var bus = host.Get<IMessageBus>();
        var failures = new List<PublishFailure>();
        bus.EnqueueFailed += f => { lock (failures) { failures.Add(f); } };
        var enqueued = 0;

        // One subject per message: the stream's subject count then counts distinct messages, so a duplicate shows.
        var publishing = Task.Run(
            async () =>
            {
                for (var i = 0; i < Total; i++)
                {
                    await bus.EnqueueAsync($"crash.{i}", new byte[64], cancellationToken: ct);
                    Volatile.Write(ref enqueued, i + 1);
                }
            },
            ct);
        await Waiter.UntilAsync(() => Volatile.Read(ref enqueued) >= Total / 4, TimeSpan.FromSeconds(60), "a quarter of the messages to be enqueued", ct);
        await server.KillAsync();
        await server.RestartAsync(ct);
        await publishing;
        await bus.FlushAsync(ct);

        var stream = await host.Get<IImbTopology>().GetStreamAsync("CRASH", ct);
        var info = await host.Get<Imb.Connection.ImbConnection>().JetStream.GetStreamAsync("CRASH", cancellationToken: ct);
        var counts = $"attempted {Total}, reported failed {failures.Count}, read {info.Info.State.NumSubjects}, duplicated {stream.Messages - info.Info.State.NumSubjects}";
        Assert.True(stream.Messages == info.Info.State.NumSubjects && Total == stream.Messages + failures.Count && failures.Count == 0, counts);
        Assert.NotEmpty(host.LogsWithEventId(203));
        if (batched)
        {
            Assert.NotEmpty(host.LogsWithEventId(408).Concat(host.LogsWithEventId(410)));
        }
    }
}
