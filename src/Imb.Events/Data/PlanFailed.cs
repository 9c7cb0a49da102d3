namespace Imb.Events;

/// <summary>The payload of <c>plan.failed</c>.</summary>
/// <param name="Cid">The content id.</param>
/// <param name="Reason">Why no plan could be made.</param>
public sealed record PlanFailed(string Cid, string Reason) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PlanFailed;
}
