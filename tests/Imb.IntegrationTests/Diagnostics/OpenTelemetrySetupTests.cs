using System.Diagnostics;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Imb.IntegrationTests.Diagnostics;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpenTelemetryTests
{
    // Alone: NATS.Net's instrumentation, once listened to, traces (and stamps headers on) every connection in the process.
    public const string Name = "OpenTelemetry, alone";
}

/// <summary><c>AddImbInstrumentation</c> on real OpenTelemetry providers: Imb's spans and NATS.Net's in one trace, Imb's instruments exported.</summary>
[Collection(OpenTelemetryTests.Name)]
public sealed class OpenTelemetrySetupTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddImbInstrumentation_PublishAndHandle_ImbAndNatsSpansShareOneTraceAndImbMetricsAreExported()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddImbInstrumentation().AddInMemoryExporter(spans).Build())
        using (var meters = Sdk.CreateMeterProviderBuilder().AddImbInstrumentation().AddInMemoryExporter(metrics).Build())
        {
            var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (var scenario = await Subscribing.SubscriptionScenario.StartAsync(nats.Url, nats.NewName("OTEL"), (imb, name, _) =>
                imb.AddSubscription("otel", s => s.Stream = name, (_, _, _) =>
                {
                    handled.TrySetResult();
                    return ValueTask.CompletedTask;
                })))
            {
                await scenario.Bus.PublishAsync($"{scenario.Subject}.in", "x"u8.ToArray(), cancellationToken: Ct);
                await handled.Task.WaitAsync(Waiter.Patience, Ct);
                var subject = $"{scenario.Subject}.in";
                await Waiter.UntilAsync(() => { tracing.ForceFlush(); return Snapshot(spans).Any(s => s.DisplayName == $"process {subject}"); }, Waiter.Patience, "the process span to be exported", Ct);
                meters.ForceFlush();

                var all = Snapshot(spans);
                var publish = Assert.Single(all, s => s.DisplayName == $"publish {subject}" && s.Source.Name == ImbDiagnostics.ActivitySourceName);
                var process = Assert.Single(all, s => s.DisplayName == $"process {subject}");
                var trace = all.Where(s => s.TraceId == publish.TraceId).ToList();
                foreach (var span in trace)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"{span.Source.Name}: {span.DisplayName} ({span.Kind}) {span.SpanId} <- {span.ParentSpanId}");
                }

                Assert.Equal(publish.TraceId, process.TraceId);
                Assert.Contains(trace, s => s.Source.Name == NatsTelemetry.SourceName);
                Assert.True(IsAncestor(publish, process, trace), "the process span descends from the publish span");
                Assert.DoesNotContain(all, s => s.DisplayName.Contains("$JS.ACK", StringComparison.Ordinal) || s.GetTagItem("messaging.destination.name") is string d && d.StartsWith("$JS.ACK", StringComparison.Ordinal));
            }
        }

        Assert.Contains(metrics, m => m.MeterName == ImbDiagnostics.MeterName && m.Name == "messaging.client.sent.messages");
        Assert.Contains(metrics, m => m.MeterName == ImbDiagnostics.MeterName && m.Name == "imb.connection.state");
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    private static bool IsAncestor(Activity ancestor, Activity span, List<Activity> trace)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }

        return false;
    }
}
