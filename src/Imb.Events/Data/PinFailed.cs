namespace Imb.Events;

/// <summary>The payload of <c>pin.failed</c>.</summary>
/// <param name="Cid">The content id.</param>
/// <param name="Reason">Why the pin failed.</param>
public sealed record PinFailed(string Cid, string Reason) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PinFailed;
}
