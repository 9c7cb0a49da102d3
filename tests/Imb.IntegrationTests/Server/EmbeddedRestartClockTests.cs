using System.Net;
using System.Net.Sockets;
using Imb.Server;
using Imb.Testing;
using Imb.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Server;

/// <summary>The embedded server's restart loop on a fake clock: a server that dies is restarted, with doubling delays while restarts fail.</summary>
public sealed class EmbeddedRestartClockTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerKilledAndItsPortTaken_RestartsWithDoublingDelaysUntilThePortIsFree()
    {
        var time = new CountingTimeProvider();
        await using var host = ImbTestHost.CreateEmbedded(
            Path.Combine(nats.Directory, nats.NewName("restart")), o => o.DefaultTopology = false, imb => imb.Services.AddSingleton<TimeProvider>(time));

        // The readiness polls wait on the clock too: it moves on while the server starts. A restart delay depends on the
        // attempts so far, not on the time that passed, so moving the clock further than needed changes nothing asserted.
        var starting = host.StartAsync();
        await Waiter.UntilAsync(() => { time.Advance(TimeSpan.FromMilliseconds(50)); return starting.IsCompleted; }, Waiter.Patience, "the embedded server to start", Ct);
        await starting;
        var server = host.Get<EmbeddedNatsServer>();
        var port = server.ClientUrl.Port;

        // Killed, and its port taken before the first restart's delay has passed (the clock stands still meanwhile).
        PosixSignal.Send(server.ProcessId!.Value, PosixSignal.Kill);
        await Waiter.UntilAsync(() => host.LogsWithEventId(104).Count == 1, Waiter.Patience, "the first restart to be scheduled", Ct);
        var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        try
        {
            await Waiter.UntilAsync(() => { time.Advance(TimeSpan.FromMilliseconds(50)); return host.LogsWithEventId(104).Count == 4; }, Waiter.Patience, "three failed restarts", Ct);
        }
        finally
        {
            squatter.Stop();
        }

        await Waiter.UntilAsync(() => { time.Advance(TimeSpan.FromMilliseconds(50)); return host.LogsWithEventId(110).Count == 1; }, Waiter.Patience, "the restart once the port is free", Ct);

        Assert.Single(host.LogsWithEventId(103));
        Assert.Equal([0.2, 0.4, 0.8, 1.6], host.LogsWithEventId(104).Take(4).Select(LoggedDelay.Of).Select(d => d.TotalSeconds));
        Assert.True(host.LogsWithEventId(105).Count >= 3, $"{host.LogsWithEventId(105).Count} failed restarts logged");
        Assert.Equal(port, server.ClientUrl.Port);
    }
}
