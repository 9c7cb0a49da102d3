using System.Diagnostics;

namespace Imb.Events;

/// <summary>Creates events: a new time-sortable id, the timestamp from the host's <see cref="TimeProvider"/>, the current version.</summary>
public sealed class EventFactory
{
    private readonly TimeProvider _time;
    private readonly MessageIdGenerator _ids;

    /// <summary>Initializes a new instance of the <see cref="EventFactory"/> class.</summary>
    /// <param name="time">The clock for timestamps and ids.</param>
    public EventFactory(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _ids = new MessageIdGenerator(time);
    }

    /// <summary>Creates an event with a new id.</summary>
    /// <typeparam name="TData">The payload type; it names the event type.</typeparam>
    /// <param name="source">The sending service.</param>
    /// <param name="subject">What the event is about (a content id, a node id).</param>
    /// <param name="data">The payload.</param>
    /// <param name="traceId">
    /// The trace it belongs to; a W3C trace id also travels as a <c>traceparent</c> header. None given, the trace id
    /// of the current <see cref="Activity"/> (a request being served, a handler's span), if there is one.
    /// </param>
    /// <returns>The event.</returns>
    public Event Create<TData>(string source, string subject, TData data, string? traceId = null)
        where TData : EventData =>
        Build(_ids.Next(), source, subject, data, traceId ?? CurrentTraceId());

    /// <summary>Creates the reaction to <paramref name="cause"/>: same subject and trace, and an id derived from the cause's, so that handling a redelivered cause again yields the same id and the stream stores the reaction once.</summary>
    /// <typeparam name="TData">The payload type; it names the event type.</typeparam>
    /// <param name="cause">The event being handled.</param>
    /// <param name="source">The sending service.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The event.</returns>
    /// <remarks>One cause has at most one reaction of each type; two reactions of one type need distinct causes.</remarks>
    public Event React<TData>(Event cause, string source, TData data)
        where TData : EventData
    {
        ArgumentNullException.ThrowIfNull(cause);
        return Build(MessageIdGenerator.Derive(cause.Id, EventCatalog.NameOf(typeof(TData))), source, cause.Subject, data, cause.TraceId);
    }

    private static string? CurrentTraceId() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.TraceId.ToHexString() : null;

    private Event Build<TData>(string id, string source, string subject, TData data, string? traceId)
        where TData : EventData
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(data);
        return new Event(id, EventCatalog.NameOf(typeof(TData)), source, subject, data, traceId, _time.GetUtcNow(), Event.CurrentVersion);
    }
}
