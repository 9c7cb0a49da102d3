using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Imb.Tests.Connection;

/// <summary>The first connection's retry loop on a fake clock: backoff, budget, and the error at its end.</summary>
public sealed class ConnectBudgetTests
{
    [Fact]
    public async Task StartAsync_NobodyListens_RetriesWithDoublingDelaysThenFailsWithinTheBudget()
    {
        var time = new CountingTimeProvider();
        var port = Ports.Closed();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddImb(o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add($"nats://127.0.0.1:{port}");
            o.StartupConnectTimeout = TimeSpan.FromSeconds(3);
        });
        using var host = builder.Build();
        var logs = host.Services.GetFakeLogCollector();

        var starting = host.StartAsync(TestContext.Current.CancellationToken);
        var delays = new List<TimeSpan>();
        while (!starting.IsCompleted)
        {
            // Each failed attempt logs its delay (event 201), then waits on the fake clock: once it does, move the clock by exactly that.
            await Waiter.UntilAsync(() => time.TimersStarted > delays.Count || starting.IsCompleted, Waiter.Patience, "the next connect attempt to wait", TestContext.Current.CancellationToken);
            if (time.TimersStarted > delays.Count)
            {
                var delay = LoggedDelay.Of(Attempts(logs)[delays.Count]);
                delays.Add(delay);
                time.Advance(delay);
            }
        }

        var error = await Assert.ThrowsAsync<ImbException>(() => starting);

        // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 = 3.1 s would pass the 3 s budget: the fifth failure ends it.
        Assert.Equal([0.1, 0.2, 0.4, 0.8], delays.Select(d => d.TotalSeconds));
        Assert.Contains("within 00:00:03", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    private static List<FakeLogRecord> Attempts(FakeLogCollector logs) => [.. logs.GetSnapshot().Where(r => r.Id.Id == 201)];
}
