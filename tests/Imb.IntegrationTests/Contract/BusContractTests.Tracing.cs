using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on traces: the same spans, parents and tags in both modes.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Tracing_PublishHandleAndReact_OneTraceFromTheCallerThroughEveryPublishAndHandler()
    {
        using var spans = new SpanRecorder();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, prefix) =>
        {
            imb.AddSubscription("first", s => { s.Stream = stream; s.FilterSubject = prefix + ".a"; }, async (message, services, ct) =>
                await services.GetRequiredService<IMessageBus>().PublishAsync(prefix + ".b", message.Data, cancellationToken: ct));
            imb.AddSubscription("reaction", s => { s.Stream = stream; s.FilterSubject = prefix + ".b"; }, (_, _, _) => ValueTask.CompletedTask);
        });
        await using var _ = host;
        using var caller = new ActivitySource("Imb.Tests.Caller");
        using var listenToCaller = new ActivityListener { ShouldListenTo = s => s == caller, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listenToCaller);

        ActivitySpanId rootSpan;
        using (var root = caller.StartActivity("request")!)
        {
            rootSpan = root.SpanId;
            await host.Get<IMessageBus>().PublishAsync(subject + ".a", "x"u8.ToArray(), new PublishOptions { MessageId = "traced-1" }, Ct);
        }

        var publish = await spans.WaitForAsync($"publish {subject}.a", Ct);
        var process = await spans.WaitForAsync($"process {subject}.a", Ct);
        var reactionPublish = await spans.WaitForAsync($"publish {subject}.b", Ct);
        var reactionProcess = await spans.WaitForAsync($"process {subject}.b", Ct);
        Assert.All([process, reactionPublish, reactionProcess], s => Assert.Equal(publish.TraceId, s.TraceId));
        Assert.Equal(rootSpan, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal(process.SpanId, reactionPublish.ParentSpanId);
        Assert.Equal(reactionPublish.SpanId, reactionProcess.ParentSpanId);
        Assert.Equal((ActivityKind.Producer, ActivityKind.Consumer), (publish.Kind, process.Kind));
        Assert.Equal("nats", publish.GetTagItem("messaging.system"));
        Assert.Equal("traced-1", publish.GetTagItem("messaging.message.id"));
        Assert.Equal(1UL, publish.GetTagItem("imb.stream.sequence"));
        Assert.Equal("first", process.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal("traced-1", process.GetTagItem("messaging.message.id"));
        Assert.Equal(1, process.GetTagItem("imb.delivery.count"));
        Assert.Equal("acked", process.GetTagItem("imb.outcome"));
    }

    [Fact]
    public async Task Tracing_HandlerFails_ItsSpanCarriesTheErrorTypeAndTheOutcome()
    {
        using var spans = new SpanRecorder();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) => imb.AddSubscription("poisoned", s => s.Stream = stream, (_, _, _) =>
            throw new ImbException("cannot be read") { Kind = ImbErrorKind.Poison }));
        await using var _ = host;

        await host.Get<IMessageBus>().PublishAsync(subject + ".a", "x"u8.ToArray(), cancellationToken: Ct);

        var process = await spans.WaitForAsync($"process {subject}.a", Ct);
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        Assert.Equal("Imb.Poison", process.GetTagItem("error.type"));
        Assert.Equal("dead-lettered", process.GetTagItem("imb.outcome"));
        var publish = await spans.WaitForAsync($"publish {subject}.a", Ct);
        Assert.Equal(publish.SpanId, process.ParentSpanId);

        // The dead letter is written inside the failed delivery's span and links to the original publish.
        var deadLetter = await spans.WaitForAsync($"publish imb.dlq.{Stream(subject)}.poisoned", Ct);
        Assert.Equal(process.SpanId, deadLetter.ParentSpanId);
        Assert.Equal(publish.SpanId, Assert.Single(deadLetter.Links).Context.SpanId);
        Assert.Equal(subject + ".a", deadLetter.GetTagItem("imb.dead_letter.of"));
    }

    /// <summary>The contract suite's stream for a subject it made (StartAsync: C_&lt;id&gt; captures c&lt;id&gt;.&gt;).</summary>
    private static string Stream(string subject) => "C_" + subject[1..];
}
