using Imb.Events;

namespace Gdc.Pipeline;

/// <summary>plan.ready -> exec.progress, then exec.completed: "executes" the plan, reporting progress on the way.</summary>
internal sealed class Executor(EventFactory events, IEventBus bus, PipelineStats stats) : IEventHandler<PlanReady>
{
    public async ValueTask HandleAsync(Event envelope, PlanReady data, CancellationToken cancellationToken)
    {
        var workflow = "wf-" + envelope.Id;
        await bus.PublishAsync(events.React(envelope, Pipeline.Source, new ExecProgress(workflow, "copy", 50)), cancellationToken);
        await bus.PublishAsync(events.React(envelope, Pipeline.Source, new ExecCompleted(workflow, Pipeline.Describe(data.Placements))), cancellationToken);
        stats.Executed();
    }
}
