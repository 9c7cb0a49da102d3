using System.Diagnostics;
using Imb.Server;
using Imb.Testing;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Imb.IntegrationTests.Server;

public sealed class EmbeddedServerTests(NatsServerFixture nats)
{
    /// <summary>SIGUSR2: nats-server enters lame duck mode and tells its clients so.</summary>
    private const int LameDuckSignal = 12;

    private string NewStore() => Path.Combine(nats.Directory, nats.NewName("store"));

    [Fact]
    public async Task StartAsync_FreePort_ConnectsOnLoopbackAndStopLeavesNoProcess()
    {
        await using var host = ImbTestHost.CreateEmbedded(NewStore());

        await host.StartAsync();
        var server = host.Get<EmbeddedNatsServer>();
        var info = host.Get<IImbServerInfo>();
        var pid = server.ProcessId;

        Assert.True(info.IsConnected);
        Assert.True(info.ServerVersion >= new Version(2, 9, 0), $"server version {info.ServerVersion}");
        Assert.Equal("127.0.0.1", server.ClientUrl.Host);
        Assert.NotNull(pid);
        Assert.True(PosixSignal.IsAlive(pid.Value));

        await host.StopAsync();

        Assert.False(PosixSignal.IsAlive(pid.Value), $"nats-server pid {pid} still runs after the host stopped");
        Assert.Single(host.LogsWithEventId(107));
    }

    [Fact]
    public async Task StartAsync_SecondHostOnSameStoreDirectory_FailsNamingTheDirectory()
    {
        var store = NewStore();
        await using var first = ImbTestHost.CreateEmbedded(store);
        await first.StartAsync();
        await using var second = ImbTestHost.CreateEmbedded(store);

        var error = await Assert.ThrowsAsync<ImbException>(second.StartAsync);

        Assert.Contains(Path.GetFullPath(store), error.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Imb:Embedded:StoreDirectory", error.Message, StringComparison.Ordinal);
        Assert.True(first.Get<IImbServerInfo>().IsConnected);
    }

    [Fact]
    public async Task KilledServer_IsRestartedOnTheSamePortAndItsDeathLogged()
    {
        await using var host = ImbTestHost.CreateEmbedded(NewStore(), o => o.ReconnectWait = TimeSpan.FromMilliseconds(100));
        await host.StartAsync();
        var server = host.Get<EmbeddedNatsServer>();
        var connection = host.Get<Imb.Connection.ImbConnection>();
        var url = server.ClientUrl;
        var killed = server.ProcessId!.Value;

        PosixSignal.Send(killed, PosixSignal.Kill);

        await Waiter.UntilAsync(() => server.ProcessId is { } pid && pid != killed, Waiter.Patience, "the embedded server to restart", TestContext.Current.CancellationToken);
        await Waiter.UntilAsync(() => connection.IsConnected, Waiter.Patience, "the client to reconnect", TestContext.Current.CancellationToken);
        await connection.Connection.PingAsync(TestContext.Current.CancellationToken);
        Assert.Equal(url, server.ClientUrl);
        var death = Assert.Single(host.LogsWithEventId(103));
        Assert.Equal(LogLevel.Error, death.Level);
        Assert.Contains(killed.ToString(System.Globalization.CultureInfo.InvariantCulture), death.Message, StringComparison.Ordinal);
        Assert.Single(host.LogsWithEventId(110));
        Assert.NotEmpty(host.LogsWithEventId(203));
        Assert.NotEmpty(host.LogsWithEventId(204));
    }

    [Fact]
    public async Task ServerEntersLameDuckMode_IsLoggedAsWarning()
    {
        // A server in lame duck mode waits out its grace period on SIGTERM; a short stop timeout ends it sooner.
        await using var host = ImbTestHost.CreateEmbedded(NewStore(), o => o.Embedded.StopTimeout = TimeSpan.FromSeconds(1));
        await host.StartAsync();
        var pid = host.Get<EmbeddedNatsServer>().ProcessId!.Value;

        PosixSignal.Send(pid, LameDuckSignal);

        await Waiter.UntilAsync(() => host.LogsWithEventId(206).Count > 0, Waiter.Patience, "the lame duck warning", TestContext.Current.CancellationToken);
        Assert.Equal(LogLevel.Warning, host.LogsWithEventId(206)[0].Level);
    }

    [Fact]
    public async Task StartAsync_ServerOrphanedByAKilledHostProcess_IsReclaimed()
    {
        var store = Path.GetFullPath(NewStore());
        var pidFile = Path.Combine(store, "imb", "nats-server.pid");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = nats.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gdc.Pipeline.dll"));
        start.ArgumentList.Add($"--Imb:Embedded:StoreDirectory={store}");
        using var parent = Process.Start(start)!;
        parent.BeginOutputReadLine();
        parent.BeginErrorReadLine();
        await Waiter.UntilAsync(() => StoreDirectoryLock.ReadPid(pidFile) is { } pid && PosixSignal.IsAlive(pid), Waiter.Patience, "the demo host's embedded server to start", TestContext.Current.CancellationToken);
        var orphan = StoreDirectoryLock.ReadPid(pidFile)!.Value;

        parent.Kill(); // SIGKILL: the host gets no chance to stop its server
        await parent.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(PosixSignal.IsAlive(orphan), "the killed host's nats-server should outlive it, as an orphan");
        await using var next = ImbTestHost.CreateEmbedded(store);
        await next.StartAsync();

        Assert.False(PosixSignal.IsAlive(orphan), $"the orphaned nats-server (pid {orphan}) still runs");
        Assert.Contains(orphan.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(next.LogsWithEventId(109)).Message, StringComparison.Ordinal);
        Assert.True(next.Get<IImbServerInfo>().IsConnected);
    }

    [Fact]
    public async Task StartAsync_ServerPathMissing_FailsSayingHowToFixIt()
    {
        await using var host = ImbTestHost.CreateEmbedded(NewStore(), o => o.Embedded.ServerPath = "/nonexistent/nats-server");

        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains("/nonexistent/nats-server", error.Message, StringComparison.Ordinal);
        Assert.Contains("Imb:Embedded:ServerPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConfigFile_IsIncludedIntoTheServerConfiguration()
    {
        await using var host = ImbTestHost.CreateEmbedded(NewStore(), o => o.Embedded.ConfigFile = Path.Combine(RepositoryPaths.NatsConfig, "embedded.conf"));

        await host.StartAsync();

        // embedded.conf raises max_payload from the server's default of 1 MB to 2 MB.
        var connection = host.Get<Imb.Connection.ImbConnection>().Connection;
        Assert.Equal(2 * 1024 * 1024, connection.ServerInfo!.MaxPayload);
    }

    [Fact]
    public async Task StartAsync_ConfigFileTheServerRejects_FailsWithTheServersReason()
    {
        var bad = Path.Combine(nats.Directory, nats.NewName("bad") + ".conf");
        await File.WriteAllTextAsync(bad, "jetstream { sync_interval: \"1s\" }\nmax_payload: \"not a size\"\n", TestContext.Current.CancellationToken);
        await using var host = ImbTestHost.CreateEmbedded(NewStore(), o => o.Embedded.ConfigFile = bad);

        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains("nats-server exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains("nats-server.conf", error.Message, StringComparison.Ordinal);
    }
}
