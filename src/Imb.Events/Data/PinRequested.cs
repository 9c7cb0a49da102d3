namespace Imb.Events;

/// <summary>The payload of <c>pin.requested</c>: pin content <c>Cid</c> of <c>Size</c> bytes under the named policies.</summary>
/// <param name="Cid">The content id.</param>
/// <param name="Size">The content size in bytes.</param>
/// <param name="Policies">The placement policies that apply.</param>
/// <param name="Constraints">Extra placement constraints by name.</param>
/// <param name="Priority">The priority; lower is sooner.</param>
/// <param name="RequestedBy">Who asked.</param>
public sealed record PinRequested(string Cid, long Size, IReadOnlyList<string> Policies, IReadOnlyDictionary<string, string> Constraints, int Priority, string RequestedBy) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PinRequested;
}
