using System.Diagnostics.Metrics;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Imb.IntegrationTests.Diagnostics;

/// <summary>The instruments only a server moves: the publish window while acks are missing, the connection's state and its reconnects.</summary>
public sealed class ConnectionMetricsTests(NatsServerFixture nats)
{
    private const int Enqueued = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AcksHeldThenConnectionReset_WindowShowsTheWaitingMessagesAndTheReconnectIsCounted()
    {
        await using var server = await NatsNode.StartAsync("metrics", Path.Combine(nats.Directory, nats.NewName("metrics")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        await using var host = ImbTestHost.CreateExternal([proxy.Url], o => o.ReconnectWait = TimeSpan.FromMilliseconds(100), imb => imb.AddStream("METRICS", s => s.Subjects.Add("metrics.>")));
        await host.StartAsync();
        var meters = host.Get<IMeterFactory>();
        using var window = new MetricCollector<int>(meters, ImbDiagnostics.MeterName, "imb.publish.window");
        using var state = new MetricCollector<int>(meters, ImbDiagnostics.MeterName, "imb.connection.state");
        using var reconnects = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "imb.connection.reconnects");
        var bus = host.Get<IMessageBus>();

        // A publish ack is JSON that starts with the stream's name; held back, every enqueued message stays in the window.
        proxy.DropFromServer = (_, payload) => payload.Span.StartsWith("{\"stream\":"u8);
        for (var i = 0; i < Enqueued; i++)
        {
            await bus.EnqueueAsync($"metrics.{i}", "x"u8.ToArray(), cancellationToken: Ct);
        }

        var held = Read(window);
        proxy.DropFromServer = null;
        proxy.ResetConnections();
        await Waiter.UntilAsync(() => reconnects.GetMeasurementSnapshot().Count > 0 && Read(state) == 1, Waiter.Patience, "the reconnect to be counted", Ct);
        await bus.FlushAsync(Ct);

        Assert.Equal(Enqueued, held);
        Assert.Equal(0, Read(window));
        Assert.Equal("nats", reconnects.LastMeasurement!.Tags["messaging.system"]);
    }

    private static int Read(MetricCollector<int> gauge)
    {
        gauge.RecordObservableInstruments();
        return gauge.LastMeasurement!.Value;
    }
}
