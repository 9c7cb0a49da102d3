namespace Imb.Events;

/// <summary>The payload of <c>zone.up</c>.</summary>
/// <param name="ZoneId">The zone.</param>
public sealed record ZoneUp(string ZoneId) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.ZoneUp;
}
