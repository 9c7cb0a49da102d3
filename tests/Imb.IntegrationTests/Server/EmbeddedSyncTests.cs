using System.Text.Json;
using Imb.Server;
using Imb.Testing;

namespace Imb.IntegrationTests.Server;

/// <summary>Imb:Embedded:SyncAlways: every write synced before its ack on 2.10+; refused before start, naming why, on 2.9.</summary>
public sealed class EmbeddedSyncTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_SyncAlways_ServerSyncsEveryWriteWhereItCanAndIsRefusedNamingTheVersionWhereItCannot()
    {
        await using var host = ImbTestHost.CreateEmbedded(Path.Combine(nats.Directory, nats.NewName("sync")), o => o.Embedded.SyncAlways = true);
        var version = await ServerVersion.OfAsync(nats.Url);

        if (version < new Version(2, 10, 0))
        {
            var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);
            Assert.Contains("Imb:Embedded:SyncAlways needs nats-server 2.10.0 or later", error.Message, StringComparison.Ordinal);
            Assert.Contains($"is {version}", error.Message, StringComparison.Ordinal);
            return;
        }

        await host.StartAsync();
        using var http = new HttpClient();
        var varz = await http.GetStringAsync(new Uri(host.Get<EmbeddedNatsServer>().MonitoringUrl, "/varz"), Ct);
        using var json = JsonDocument.Parse(varz);
        Assert.True(json.RootElement.GetProperty("jetstream").GetProperty("config").GetProperty("sync_always").GetBoolean());
        var ack = await host.Get<IMessageBus>().PublishAsync("system.sync.check", "x"u8.ToArray(), cancellationToken: Ct);
        Assert.Equal(1UL, ack.Sequence);
    }
}
