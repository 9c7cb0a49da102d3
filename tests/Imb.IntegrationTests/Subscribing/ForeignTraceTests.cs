using System.Diagnostics;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>A message published by a client that is not Imb, with a W3C traceparent: Imb's handler span continues that trace.</summary>
public sealed class ForeignTraceTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Handler_MessageFromAForeignClientWithTraceparent_ItsSpanIsAChildOfTheForeignSpan()
    {
        using var spans = new SpanRecorder();
        var handledIn = new TaskCompletionSource<ActivityTraceId>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("FOREIGN"), (imb, name, _) =>
            imb.AddSubscription("traced", s => s.Stream = name, (_, _, _) =>
            {
                handledIn.TrySetResult(Activity.Current?.TraceId ?? default);
                return ValueTask.CompletedTask;
            }));
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        await using var foreign = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        var headers = new NatsHeaders { ["traceparent"] = $"00-{traceId}-{spanId}-01", ["tracestate"] = "vendor=1" };

        await new NatsJSContext(foreign).PublishAsync($"{scenario.Subject}.in", "x"u8.ToArray(), headers: headers, cancellationToken: Ct);

        Assert.Equal(traceId, await handledIn.Task.WaitAsync(Waiter.Patience, Ct));
        var process = await spans.WaitForAsync($"process {scenario.Subject}.in", Ct);
        Assert.Equal((traceId, spanId), (process.TraceId, process.ParentSpanId));
        Assert.Equal("vendor=1", process.TraceStateString);
        Assert.True(process.HasRemoteParent);
    }

    [Fact]
    public async Task Enqueue_Traced_TheStoredMessageCarriesTheProducerSpanAsTraceparent()
    {
        using var spans = new SpanRecorder();
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, nats.NewName("ENQ_TRACE"), (_, _, _) => { });

        await scenario.Bus.EnqueueAsync($"{scenario.Subject}.in", "x"u8.ToArray(), cancellationToken: Ct);
        await scenario.Bus.FlushAsync(Ct);

        var publish = await spans.WaitForAsync($"publish {scenario.Subject}.in", Ct);
        var stream = await scenario.JetStream.GetStreamAsync(scenario.Stream, cancellationToken: Ct);
        var stored = await stream.GetAsync(new NATS.Client.JetStream.Models.StreamMsgGetRequest { Seq = 1 }, Ct);
        var header = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(stored.Message.Hdrs!));
        Assert.Contains($"traceparent: 00-{publish.TraceId}-{publish.SpanId}-01", header, StringComparison.Ordinal);
        Assert.Equal(true, publish.GetTagItem("imb.publish.pipelined"));
    }
}
