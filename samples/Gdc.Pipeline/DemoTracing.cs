using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gdc.Pipeline;

/// <summary>
/// `--trace`: the demo's traces through Imb.OpenTelemetry, to the console exporter (`--trace` or `--trace console`) or
/// as one line per span to a file (`--trace &lt;path&gt;`); Imb's own spans are also kept, so that the run can end
/// with one pin's trace drawn as a tree.
/// </summary>
internal sealed class DemoTracing : IDisposable
{
    // Enough for the trees of the first pins of a large run; later spans are exported, not kept.
    private const int Kept = 20_000;
    private readonly TracerProvider _provider;
    private readonly SpanKeeper _kept = new();

    private DemoTracing(string target)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddImbInstrumentation().AddProcessor(_kept);
        _provider = target == "console"
            ? builder.AddConsoleExporter().Build()
            : builder.AddProcessor(new SimpleActivityExportProcessor(new SpanLineExporter(target))).Build();
    }

    /// <summary>Reads `--trace [console|path]` from the arguments; returns the arguments the host is to see.</summary>
    public static (DemoTracing? Tracing, string[] Arguments) From(string[] args)
    {
        var at = Array.IndexOf(args, "--trace");
        if (at < 0)
        {
            return (null, args);
        }

        var hasValue = at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal);
        var target = hasValue ? args[at + 1] : "console";
        return (new DemoTracing(target), [.. args[..at], .. args[(at + (hasValue ? 2 : 1))..]]);
    }

    /// <summary>Prints the trace of the pin whose pin.requested was published first, as a tree of Imb's spans.</summary>
    public void PrintFirstPin()
    {
        _provider.ForceFlush();
        var spans = _kept.Snapshot();
        var root = spans.Where(s => s.DisplayName == "publish gdc.events.pin.requested").MinBy(s => s.StartTimeUtc);
        if (root is null)
        {
            Console.WriteLine("trace: no pin.requested was published");
            return;
        }

        // NATS.Net's spans sit between Imb's (its request and publish under Imb's publish): each Imb span is drawn
        // under its nearest Imb ancestor.
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToDictionary(s => s.SpanId);
        var imb = trace.Values.Where(IsImb).ToList();
        var parentOf = imb.ToDictionary(s => s.SpanId, s => NearestImbAncestor(s, trace));
        Console.WriteLine($"trace {root.TraceId}: {imb.Count} Imb spans, {trace.Count - imb.Count} NATS.Net spans");
        Print(root, imb, parentOf, depth: 1);
    }

    public void Dispose() => _provider.Dispose();

    private static bool IsImb(Activity span) => span.Source.Name == Imb.ImbDiagnostics.ActivitySourceName;

    private static ActivitySpanId NearestImbAncestor(Activity span, Dictionary<ActivitySpanId, Activity> trace)
    {
        for (var id = span.ParentSpanId; trace.TryGetValue(id, out var parent); id = parent.ParentSpanId)
        {
            if (IsImb(parent))
            {
                return parent.SpanId;
            }
        }

        return default;
    }

    private static void Print(Activity span, List<Activity> imb, Dictionary<ActivitySpanId, ActivitySpanId> parentOf, int depth)
    {
        var outcome = span.GetTagItem("imb.outcome") is string o ? $" [{o}]" : string.Empty;
        Console.WriteLine($"{new string(' ', depth * 2)}{span.DisplayName} ({span.Kind}, {span.Duration.TotalMilliseconds:F1} ms){outcome}");
        foreach (var child in imb.Where(s => parentOf[s.SpanId] == span.SpanId).OrderBy(s => s.StartTimeUtc))
        {
            Print(child, imb, parentOf, depth + 1);
        }
    }

    /// <summary>Keeps ended spans (Imb's and NATS.Net's) in memory, up to <see cref="Kept"/>.</summary>
    private sealed class SpanKeeper : BaseProcessor<Activity>
    {
        private readonly List<Activity> _spans = [];

        public override void OnEnd(Activity data)
        {
            lock (_spans)
            {
                if (_spans.Count < Kept)
                {
                    _spans.Add(data);
                }
            }
        }

        public List<Activity> Snapshot()
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }
}
