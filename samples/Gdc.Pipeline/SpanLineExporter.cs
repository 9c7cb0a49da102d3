using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace Gdc.Pipeline;

/// <summary>Writes each span as one JSON line (trace, span, parent, source, name, kind, start, duration, tags) to a file.</summary>
internal sealed class SpanLineExporter(string path) : BaseExporter<Activity>
{
    private readonly StreamWriter _file = new(path, append: false) { AutoFlush = false };

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var span in batch)
        {
            _file.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["trace_id"] = span.TraceId.ToString(),
                ["span_id"] = span.SpanId.ToString(),
                ["parent_id"] = span.ParentSpanId == default ? null : span.ParentSpanId.ToString(),
                ["source"] = span.Source.Name,
                ["name"] = span.DisplayName,
                ["kind"] = span.Kind.ToString(),
                ["start"] = span.StartTimeUtc,
                ["duration_ms"] = span.Duration.TotalMilliseconds,
                ["tags"] = span.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()),
            }));
        }

        return ExportResult.Success;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        _file.Flush();
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
