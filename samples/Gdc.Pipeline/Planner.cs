using Imb.Events;

namespace Gdc.Pipeline;

/// <summary>pin.requested -> plan.ready: places the content on as many nodes as its policy asks (rf-N), same trace and cid.</summary>
internal sealed class Planner(EventFactory events, IEventBus bus, PipelineStats stats) : IEventHandler<PinRequested>
{
    public async ValueTask HandleAsync(Event envelope, PinRequested data, CancellationToken cancellationToken)
    {
        var replicas = data.Policies.Select(p => p.StartsWith("rf-", StringComparison.Ordinal) && int.TryParse(p[3..], out var n) ? n : 0).DefaultIfEmpty(1).Max();
        var plan = new PlanReady(data.Cid, Pipeline.Place(data.Cid, replicas));
        await bus.PublishAsync(events.React(envelope, Pipeline.Source, plan), cancellationToken);
        stats.Planned();
    }
}
