using System.Diagnostics;

namespace Imb.Diagnostics;

/// <summary>
/// Imb's spans, after OpenTelemetry's messaging conventions: <c>publish &lt;subject&gt;</c> (producer) for every
/// publish and <c>process &lt;subject&gt;</c> (consumer) for every handled message, the same in both modes. The W3C
/// trace context travels in the message's <c>traceparent</c> / <c>tracestate</c> headers, so a handler's span
/// continues the publisher's trace, whoever published.
/// </summary>
/// <remarks>
/// Nobody listening costs one check per message: no span, no tag, no header unless a trace is current. A new span's
/// tags are added, not set: SetTag first looks for one of the same name, each time.
/// </remarks>
internal static class MessagingTracing
{
    public const string SourceName = ImbDiagnostics.ActivitySourceName;
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    private static readonly SpanNames PublishNames = new("publish ");
    private static readonly SpanNames ProcessNames = new("process ");

    public static readonly ActivitySource Source = new(SourceName, typeof(MessagingTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the producer span, a child of the current activity or else of the trace the caller's headers carry.</summary>
    /// <remarks>It becomes the current activity; a caller that returns before it ends restores the previous one.</remarks>
    public static Activity? StartPublish(string subject, string? messageId, int bodySize, bool pipelined, IDictionary<string, string>? headers)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var name = PublishNames.For(subject);
        var span = Activity.Current is null
            ? Source.StartActivity(name, ActivityKind.Producer, ContextOf(headers))
            : Source.StartActivity(name, ActivityKind.Producer);
        if (span is { IsAllDataRequested: true })
        {
            span.AddTag("messaging.system", "nats");
            span.AddTag("messaging.operation.name", "publish");
            span.AddTag("messaging.operation.type", "send");
            span.AddTag("messaging.destination.name", subject);
            span.AddTag("messaging.message.body.size", bodySize);
            if (messageId is not null)
            {
                span.AddTag("messaging.message.id", messageId);
            }

            if (pipelined)
            {
                span.AddTag("imb.publish.pipelined", true);
            }
        }

        return span;
    }

    /// <summary>The caller's headers with the trace context to send: the producer span's, else the current activity's; as they were without one.</summary>
    public static IEnumerable<KeyValuePair<string, string>>? WithTraceContext(IDictionary<string, string>? headers, Activity? span)
    {
        var activity = span ?? Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return headers?.Count > 0 ? headers : null;
        }

        var result = new List<KeyValuePair<string, string>>((headers?.Count ?? 0) + 2);
        foreach (var header in headers ?? Enumerable.Empty<KeyValuePair<string, string>>())
        {
            if (!string.Equals(header.Key, TraceParent, StringComparison.OrdinalIgnoreCase) && !string.Equals(header.Key, TraceState, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(header);
            }
        }

        result.Add(new(TraceParent, activity.Id!));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            result.Add(new(TraceState, activity.TraceStateString));
        }

        return result;
    }

    /// <summary>Ends a producer span with what the stream answered (and the id the stream generated, in memory).</summary>
    public static void Stored(Activity? span, PublishAck ack, string? generatedId = null)
    {
        if (span is { IsAllDataRequested: true })
        {
            if (generatedId is not null)
            {
                span.SetTag("messaging.message.id", generatedId);
            }

            span.SetTag("imb.stream", ack.Stream);
            span.SetTag("imb.stream.sequence", ack.Sequence);
            span.SetTag("imb.duplicate", ack.Duplicate);
        }
    }

    /// <summary>Marks a span failed: <c>error.type</c> is the exception's type, or Imb's error kind.</summary>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is null)
        {
            return;
        }

        span.SetStatus(ActivityStatusCode.Error, error.Message);
        span.SetTag("error.type", error is ImbException imb ? $"Imb.{imb.Kind}" : error.GetType().FullName);
    }

    /// <summary>Starts the consumer span for one delivery, a child of the publisher's span the message's headers carry.</summary>
    public static Activity? StartProcess(ReceivedMessage message, string subscription)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = ContextOf(message.NatsHeaders);
        var span = Source.StartActivity(ProcessNames.For(message.Subject), ActivityKind.Consumer, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.AddTag("messaging.system", "nats");
            span.AddTag("messaging.operation.name", "process");
            span.AddTag("messaging.operation.type", "process");
            span.AddTag("messaging.destination.name", message.Subject);
            span.AddTag("messaging.consumer.group.name", subscription);
            span.AddTag("messaging.message.id", message.MessageId);
            span.AddTag("imb.stream", message.Stream);
            span.AddTag("imb.stream.sequence", message.StreamSequence);
            span.AddTag("imb.delivery.count", message.DeliveryCount);
        }

        return span;
    }

    /// <summary>
    /// Starts the span of writing a dead letter: a child of the failed delivery's span, linked to the original
    /// message's publisher; the letter then carries this span as its traceparent, so its readers continue the trace.
    /// </summary>
    public static Activity? StartDeadLetter(Subscribing.DeadLetter letter, ReceivedMessage original)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var publisher = ContextOf(original.NatsHeaders);
        ActivityLink[]? links = publisher == default ? null : [new ActivityLink(publisher)];
        var span = Source.StartActivity(ActivityKind.Producer, links: links, name: PublishNames.For(letter.Subject));
        if (span is null)
        {
            return null;
        }

        if (span.IsAllDataRequested)
        {
            span.AddTag("messaging.system", "nats");
            span.AddTag("messaging.operation.name", "publish");
            span.AddTag("messaging.operation.type", "send");
            span.AddTag("messaging.destination.name", letter.Subject);
            span.AddTag("messaging.message.id", letter.MessageId);
            span.AddTag("imb.dead_letter.of", original.Subject);
        }

        letter.Headers[TraceParent] = span.Id;
        if (string.IsNullOrEmpty(span.TraceStateString))
        {
            letter.Headers.Remove(TraceState);
        }
        else
        {
            letter.Headers[TraceState] = span.TraceStateString;
        }

        return span;
    }

    /// <summary>Records what became of a handled message (acked, retried, dead-lettered).</summary>
    public static void Outcome(Activity? span, string outcome) => span?.SetTag("imb.outcome", outcome);

    /// <summary>The trace context of a delivered message's headers, read without building its header dictionary.</summary>
    public static ActivityContext ContextOf(NATS.Client.Core.NatsHeaders? headers) =>
        headers is not null && headers.TryGetValue(TraceParent, out var parent) &&
        ActivityContext.TryParse(parent.ToString(), headers.TryGetValue(TraceState, out var state) ? state.ToString() : null, isRemote: true, out var context)
            ? context
            : default;

    /// <summary>The trace context a message's headers carry, or none.</summary>
    public static ActivityContext ContextOf(IEnumerable<KeyValuePair<string, string>>? headers)
    {
        string? parent = null;
        string? state = null;
        foreach (var (name, value) in headers ?? [])
        {
            if (string.Equals(name, TraceParent, StringComparison.OrdinalIgnoreCase))
            {
                parent = value;
            }
            else if (string.Equals(name, TraceState, StringComparison.OrdinalIgnoreCase))
            {
                state = value;
            }
        }

        return parent is not null && ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }
}
