namespace Imb.Events;

/// <summary>The payload of <c>pin.completed</c>: the content is pinned at these places.</summary>
/// <param name="Cid">The content id.</param>
/// <param name="Assignments">Where the content is pinned.</param>
public sealed record PinCompleted(string Cid, IReadOnlyList<Placement> Assignments) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PinCompleted;
}
