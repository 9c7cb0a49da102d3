namespace Imb.Events;

/// <summary>The payload of <c>exec.progress</c>.</summary>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="Step">The step reached.</param>
/// <param name="Percent">Progress from 0 to 100.</param>
public sealed record ExecProgress(string WorkflowId, string Step, int Percent) : EventData
{
    /// <summary>The event type this payload travels as.</summary>
    public const string EventType = EventTypes.ExecProgress;
}
