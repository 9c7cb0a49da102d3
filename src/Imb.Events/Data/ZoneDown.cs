namespace Imb.Events;

/// <summary>The payload of <c>zone.down</c>.</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="Reason">Why it is down.</param>
public sealed record ZoneDown(string ZoneId, string Reason) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.ZoneDown;
}
