using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Diagnostics;

/// <summary><c>Imb:HealthCheck</c>: the check's name, tags and failure status, and turning it off.</summary>
public sealed class HealthCheckOptionsTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthCheck_Disabled_NotRegistered()
    {
        await using var host = ImbTestHost.Create(o => { o.Mode = ImbMode.InMemory; o.HealthCheck.Enabled = false; });
        await host.StartAsync();

        var report = await host.Get<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Empty(report.Entries);
    }

    [Fact]
    public async Task HealthCheck_NamedAndTagged_ReportedUnderThatNameAndSelectedByTheTag()
    {
        await using var host = ImbTestHost.Create(o =>
        {
            o.Mode = ImbMode.InMemory;
            o.HealthCheck.Name = "bus";
            o.HealthCheck.Tags.Add("ready");
        });
        await host.StartAsync();

        var report = await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), Ct);

        var entry = Assert.Single(report.Entries);
        Assert.Equal(("bus", HealthStatus.Healthy), (entry.Key, entry.Value.Status));
        Assert.Equal(["ready"], entry.Value.Tags);
    }

    [Fact]
    public async Task HealthCheck_FailureStatusDegraded_ServerGone_ReportsDegradedNotUnhealthy()
    {
        await using var server = await NatsNode.StartAsync("health", Path.Combine(nats.Directory, nats.NewName("health")), cancellationToken: Ct);
        await using var host = ImbTestHost.CreateExternal([server.Url], o => o.HealthCheck.FailureStatus = HealthStatus.Degraded);
        await host.StartAsync();
        var checks = host.Get<HealthCheckService>();

        await server.KillAsync();
        await Waiter.UntilAsync(async ct => !(await checks.CheckHealthAsync(ct)).Entries["imb"].Description!.StartsWith("Connected", StringComparison.Ordinal), Waiter.Patience, "health to see the server gone", Ct);

        var entry = (await checks.CheckHealthAsync(Ct)).Entries["imb"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("not connected", entry.Description, StringComparison.Ordinal);
        Assert.Equal(false, entry.Data["connected"]);
    }
}
