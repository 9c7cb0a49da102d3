namespace Imb.Events;

/// <summary>The payload of <c>exec.failed</c>.</summary>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="Reason">Why it failed.</param>
public sealed record ExecFailed(string WorkflowId, string Reason) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.ExecFailed;
}
