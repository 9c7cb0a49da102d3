namespace Imb.Events;

/// <summary>The payload of <c>exec.completed</c>.</summary>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="Result">What the workflow produced.</param>
public sealed record ExecCompleted(string WorkflowId, string Result) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.ExecCompleted;
}
