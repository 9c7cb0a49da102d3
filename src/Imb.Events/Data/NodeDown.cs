namespace Imb.Events;

/// <summary>The payload of <c>node.down</c>.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Reason">Why it is down.</param>
public sealed record NodeDown(string NodeId, string Reason) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.NodeDown;
}
