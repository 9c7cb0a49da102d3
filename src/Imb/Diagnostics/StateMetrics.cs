using System.Diagnostics;
using System.Diagnostics.Metrics;
using Imb.Connection;
using Imb.DependencyInjection;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.Diagnostics;

/// <summary>
/// What the bus holds now, on the <c>Imb</c> meter: observable gauges read when a collector asks (nothing is counted
/// per message for them), and the reconnect counter. The same instruments in both modes: in memory the connection is
/// always up and the publish window always empty, as enqueueing stores at once.
/// </summary>
internal sealed class StateMetrics
{
    private readonly ModeSelection _mode;
    private readonly IServiceProvider _services;
    private readonly Counter<long> _reconnects;

    public StateMetrics(IMeterFactory meters, ModeSelection mode, IServiceProvider services)
    {
        _mode = mode;
        _services = services;
        var meter = meters.Create(ImbDiagnostics.MeterName);
        _reconnects = meter.CreateCounter<long>("imb.connection.reconnects", "{reconnect}", "Times the connection to NATS was restored after it was lost");
        meter.CreateObservableGauge("imb.connection.state", Connected, "{connection}", "1 while connected to NATS (always in memory), 0 while not");
        meter.CreateObservableGauge("imb.publish.window", Window, "{message}", "Enqueued messages sent and awaiting the stream's ack");
        meter.CreateObservableGauge("imb.consumer.pending", () => PerSubscription(s => s.Snapshot.Pending), "{message}", "Messages the subscription's consumer has not delivered yet (as of its last check)");
        meter.CreateObservableGauge("imb.consumer.ack_pending", () => PerSubscription(s => s.Snapshot.AckPending), "{message}", "Messages delivered to the subscription and not yet acknowledged (as of its last check)");
        meter.CreateObservableGauge("imb.consumer.in_flight", () => PerSubscription(s => (ulong)s.InFlight()), "{message}", "Messages the subscription's handlers hold now (in memory: its taken batch not yet settled)");
        if (mode.UsesServer)
        {
            services.GetRequiredService<ImbConnection>().ConnectionRestored += () => _reconnects.Add(1, new KeyValuePair<string, object?>("messaging.system", "nats"));
        }
    }

    private Measurement<int> Connected() =>
        new(!_mode.UsesServer || _services.GetRequiredService<IImbServerInfo>().IsConnected ? 1 : 0, new KeyValuePair<string, object?>("messaging.system", "nats"));

    private Measurement<int> Window() =>
        new(_mode.PublishWindow, new KeyValuePair<string, object?>("messaging.system", "nats"));

    private IEnumerable<Measurement<long>> PerSubscription(Func<SubscriptionStatus, ulong?> read)
    {
        foreach (var status in _mode.Subscriptions.Statuses)
        {
            if (read(status) is { } value)
            {
                yield return new Measurement<long>(
                    (long)Math.Min(value, long.MaxValue),
                    new TagList { { "messaging.system", "nats" }, { "messaging.consumer.group.name", status.Name }, { "imb.stream", status.Stream } });
            }
        }
    }
}
