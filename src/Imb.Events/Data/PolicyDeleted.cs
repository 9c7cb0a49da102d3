namespace Imb.Events;

/// <summary>The payload of <c>policy.deleted</c>.</summary>
/// <param name="PolicyId">The policy.</param>
/// <param name="DeletedBy">Who deleted it.</param>
public sealed record PolicyDeleted(string PolicyId, string DeletedBy) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PolicyDeleted;
}
