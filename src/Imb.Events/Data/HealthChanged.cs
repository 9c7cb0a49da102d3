namespace Imb.Events;

/// <summary>The payload of <c>health.changed</c>.</summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="Kind">What kind of resource (node, zone, disk, ...).</param>
/// <param name="Previous">The previous health.</param>
/// <param name="Current">The current health.</param>
public sealed record HealthChanged(string ResourceId, string Kind, string Previous, string Current) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.HealthChanged;
}
