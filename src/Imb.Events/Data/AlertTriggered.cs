namespace Imb.Events;

/// <summary>The payload of <c>alert.triggered</c>.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="Severity">Its severity (info, warning, critical).</param>
/// <param name="Message">What happened.</param>
/// <param name="Labels">Labels for routing and search.</param>
public sealed record AlertTriggered(string AlertId, string Severity, string Message, IReadOnlyDictionary<string, string> Labels) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.AlertTriggered;
}
