using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Publishing;

public sealed class PublishingThroughServerCrashTests(NatsServerFixture nats)
{
    private const int Total = 20_000;

    [Fact]
    public async Task EnqueueAsync_ServerKilledAndRestartedPartWay_StoresEveryMessageExactlyOnceOrReportsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await NatsNode.StartAsync("crash", Path.Combine(nats.Directory, nats.NewName("crash")), cancellationToken: ct);
        await using var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(server.Url);
                o.DefaultTopology = false;
                o.ReconnectWait = TimeSpan.FromMilliseconds(50);
                o.Publishing.AckTimeout = TimeSpan.FromSeconds(1);
            },
            imb => imb.AddStream("CRASH", s => s.Subjects.Add("crash.>")));
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
        Assert.Equal(stream.Messages, info.Info.State.NumSubjects);
        Assert.Equal(Total, stream.Messages + failures.Count);
        Assert.Empty(failures);
        Assert.NotEmpty(host.LogsWithEventId(203));
    }
}
