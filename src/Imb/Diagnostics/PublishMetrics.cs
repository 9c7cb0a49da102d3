using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Imb.Diagnostics;

/// <summary>
/// Publishing on the <c>Imb</c> meter after OpenTelemetry's messaging conventions, the same for both modes: messages
/// the stream stored (or refused), and how long an awaited publish took.
/// </summary>
internal sealed class PublishMetrics
{
    private readonly Counter<long> _sent;
    private readonly Histogram<double> _duration;
    private long _stored;
    private long _refused;

    public PublishMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ImbDiagnostics.MeterName);
        _sent = meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Messages published: stored by a stream, or refused (error.type)");
        _duration = meter.CreateHistogram<double>("messaging.client.operation.duration", "s", "How long a publish took until the stream's answer");
    }

    /// <summary>Gets the publish's start, taken only while someone records durations.</summary>
    public long Start() => _duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Gets how many messages the streams stored, and refused, since the host started (for the statistics).</summary>
    public (long Stored, long Refused) Totals => (Interlocked.Read(ref _stored), Interlocked.Read(ref _refused));

    public void Stored(string? stream, bool pipelined, long started)
    {
        Interlocked.Increment(ref _stored);
        Record(stream, pipelined, null, started);
    }

    public void Refused(Exception error, bool pipelined, long started)
    {
        Interlocked.Increment(ref _refused);
        Record(null, pipelined, error is ImbException imb ? $"Imb.{imb.Kind}" : error.GetType().FullName, started);
    }

    private void Record(string? stream, bool pipelined, string? errorType, long started)
    {
        if (!_sent.Enabled && !_duration.Enabled)
        {
            return;
        }

        var tags = new TagList { { "messaging.system", "nats" }, { "messaging.operation.name", "publish" }, { "imb.publish.pipelined", pipelined } };
        if (stream is not null)
        {
            tags.Add("imb.stream", stream);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _sent.Add(1, tags);
        if (started != 0)
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
