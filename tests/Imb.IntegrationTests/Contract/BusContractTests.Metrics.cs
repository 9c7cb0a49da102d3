using System.Diagnostics.Metrics;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on metrics: the same instruments and attributes in both modes.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Metrics_PublishedHandledAndDeadLettered_EachCountedWithItsOutcome()
    {
        var (host, subject) = await StartAsync(subscribe: (imb, stream, prefix) =>
        {
            imb.AddSubscription("fine", s => { s.Stream = stream; s.FilterSubject = prefix + ".a"; }, (_, _, _) => ValueTask.CompletedTask);
            imb.AddSubscription("poisoned", s => { s.Stream = stream; s.FilterSubject = prefix + ".b"; }, (_, _, _) =>
                throw new ImbException("cannot be read") { Kind = ImbErrorKind.Poison });
        });
        await using var _ = host;
        var meters = host.Get<IMeterFactory>();
        using var sent = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "messaging.client.sent.messages");
        using var publishDuration = new MetricCollector<double>(meters, ImbDiagnostics.MeterName, "messaging.client.operation.duration");
        using var consumed = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "messaging.client.consumed.messages");
        using var processDuration = new MetricCollector<double>(meters, ImbDiagnostics.MeterName, "messaging.process.duration");
        var bus = host.Get<IMessageBus>();

        await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), cancellationToken: Ct);
        await bus.PublishAsync(subject + ".b", "2"u8.ToArray(), cancellationToken: Ct);
        await bus.EnqueueAsync(subject + ".a", "3"u8.ToArray(), cancellationToken: Ct);
        await bus.FlushAsync(Ct);
        await Waiter.UntilAsync(() => consumed.GetMeasurementSnapshot().Count >= 3, Waiter.Patience, "three settled deliveries to be counted", Ct);

        var publishes = sent.GetMeasurementSnapshot();
        Assert.Equal(3, publishes.Count);
        Assert.Equal(2, publishes.Count(m => m.Tags["imb.publish.pipelined"] is false && m.Tags["imb.stream"] is string stream && stream.StartsWith("C_", StringComparison.Ordinal)));
        Assert.Single(publishes, m => m.Tags["imb.publish.pipelined"] is true);
        Assert.All(publishes, m => Assert.Equal("nats", m.Tags["messaging.system"]));
        Assert.Equal(2, publishDuration.GetMeasurementSnapshot().Count(m => m.Value >= 0 && m.Tags["imb.publish.pipelined"] is false));
        var settled = consumed.GetMeasurementSnapshot().Select(m => ($"{m.Tags["messaging.consumer.group.name"]}", $"{m.Tags["imb.outcome"]}")).Order().ToList();
        Assert.Equal([("fine", "acked"), ("fine", "acked"), ("poisoned", "dead-lettered")], settled);
        Assert.Equal(3, processDuration.GetMeasurementSnapshot().Count(m => m.Value >= 0));
    }

    [Fact]
    public async Task Metrics_HandlerHoldingARetriedMessage_GaugesShowItInFlightAndAckPendingAndTheRedeliveryIsCounted()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("held", s => { s.Stream = stream; s.RetryDelay = TimeSpan.FromMilliseconds(20); }, async (m, _, ct) =>
            {
                if (m.DeliveryCount == 1)
                {
                    throw new InvalidOperationException("not yet");
                }

                await release.Task.WaitAsync(ct);
            }));
        await using var _ = host;
        var meters = host.Get<IMeterFactory>();
        using var redeliveries = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "imb.consumer.redeliveries");
        using var inFlight = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "imb.consumer.in_flight");
        using var ackPending = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "imb.consumer.ack_pending");
        using var pending = new MetricCollector<long>(meters, ImbDiagnostics.MeterName, "imb.consumer.pending");
        using var connection = new MetricCollector<int>(meters, ImbDiagnostics.MeterName, "imb.connection.state");
        using var window = new MetricCollector<int>(meters, ImbDiagnostics.MeterName, "imb.publish.window");
        var bus = host.Get<IMessageBus>();

        await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => redeliveries.GetMeasurementSnapshot().Count == 1, Waiter.Patience, "the redelivery to be counted", Ct);
        await Waiter.UntilAsync(() => Gauge(inFlight, "held") == 1 && Gauge(ackPending, "held") == 1, Waiter.Patience, "the held message to show in flight and unacknowledged", Ct);
        release.SetResult();
        await Waiter.UntilAsync(() => Gauge(inFlight, "held") == 0 && Gauge(ackPending, "held") == 0, Waiter.Patience, "the settled message to leave the gauges", Ct);
        var pendingAfter = Gauge(pending, "held");
        await bus.EnqueueAsync(subject + ".a", "2"u8.ToArray(), cancellationToken: Ct);
        await bus.FlushAsync(Ct);

        Assert.Equal("held", redeliveries.LastMeasurement!.Tags["messaging.consumer.group.name"]);
        Assert.Equal(0, pendingAfter);
        connection.RecordObservableInstruments();
        Assert.Equal(1, connection.LastMeasurement!.Value);
        window.RecordObservableInstruments();
        Assert.Equal(0, window.LastMeasurement!.Value);
    }

    /// <summary>Reads an observable gauge now, for one subscription.</summary>
    private static long? Gauge(MetricCollector<long> gauge, string subscription)
    {
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot(clear: true).LastOrDefault(m => m.Tags["messaging.consumer.group.name"] is string s && s == subscription)?.Value;
    }
}
