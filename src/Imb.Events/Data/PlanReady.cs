namespace Imb.Events;

/// <summary>The payload of <c>plan.ready</c>: where the content should go.</summary>
/// <param name="Cid">The content id.</param>
/// <param name="Placements">The planned places.</param>
public sealed record PlanReady(string Cid, IReadOnlyList<Placement> Placements) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PlanReady;
}
