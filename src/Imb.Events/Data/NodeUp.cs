namespace Imb.Events;

/// <summary>The payload of <c>node.up</c>.</summary>
/// <param name="NodeId">The node.</param>
public sealed record NodeUp(string NodeId) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.NodeUp;
}
