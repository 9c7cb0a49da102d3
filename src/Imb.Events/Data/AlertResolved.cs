namespace Imb.Events;

/// <summary>The payload of <c>alert.resolved</c>.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="ResolvedBy">Who or what resolved it.</param>
public sealed record AlertResolved(string AlertId, string ResolvedBy) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.AlertResolved;
}
