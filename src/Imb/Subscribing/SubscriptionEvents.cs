using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Imb.Diagnostics;

namespace Imb.Subscribing;

/// <summary>
/// What became of each delivery, the same from both subscribers: raised to observers (the test harness) and counted
/// on the <c>Imb</c> meter after OpenTelemetry's messaging conventions.
/// </summary>
internal sealed class SubscriptionEvents
{
    private readonly Counter<long> _consumed;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _redeliveries;
    private readonly ConcurrentDictionary<string, SubscriptionCounters> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SubscriptionEvents(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(ImbDiagnostics.MeterName);
        _consumed = meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Deliveries settled by a subscription, by outcome");
        _duration = meter.CreateHistogram<double>("messaging.process.duration", "s", "From a delivery's arrival until it was settled, by outcome");
        _redeliveries = meter.CreateCounter<long>("imb.consumer.redeliveries", "{message}", "Deliveries of a message delivered before (retried, or not acknowledged in time)");
    }

    /// <summary>Raised after a message was handled and acknowledged: the subscription's name and the message.</summary>
    public event Action<string, ReceivedMessage>? Handled;

    /// <summary>Gets when to take a delivery's arrival time: only while someone records the duration.</summary>
    public long ArrivalTimestamp() => _duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Gets one subscription's totals, for the statistics; its processor keeps the reference and counts into it.</summary>
    public SubscriptionCounters CountersOf(string subscription) => _counters.GetOrAdd(subscription, _ => new SubscriptionCounters(_time));

    /// <summary>Counts a delivery that is not the message's first.</summary>
    public void OnArrived(string subscription, int deliveryCount)
    {
        if (deliveryCount > 1 && _redeliveries.Enabled)
        {
            _redeliveries.Add(1, new TagList { { "messaging.system", "nats" }, { "messaging.consumer.group.name", subscription } });
        }
    }

    public void OnHandled(string subscription, ReceivedMessage message) => Handled?.Invoke(subscription, message);

    /// <summary>Counts a settled delivery (acked, retried, dead-lettered, left for redelivery).</summary>
    public void OnSettled(string subscription, string outcome, long arrived)
    {
        if (!_consumed.Enabled && !_duration.Enabled)
        {
            return;
        }

        var tags = new TagList { { "messaging.system", "nats" }, { "messaging.consumer.group.name", subscription }, { "imb.outcome", outcome } };
        _consumed.Add(1, tags);
        if (arrived != 0)
        {
            _duration.Record(Stopwatch.GetElapsedTime(arrived).TotalSeconds, tags);
        }
    }
}
