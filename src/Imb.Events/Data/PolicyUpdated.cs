namespace Imb.Events;

/// <summary>The payload of <c>policy.updated</c>.</summary>
/// <param name="PolicyId">The policy.</param>
/// <param name="Changes">The changed settings and their new values.</param>
/// <param name="UpdatedBy">Who changed it.</param>
public sealed record PolicyUpdated(string PolicyId, IReadOnlyDictionary<string, string> Changes, string UpdatedBy) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.PolicyUpdated;
}
