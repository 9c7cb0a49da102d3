using Imb.Events;

namespace Gdc.Pipeline;

/// <summary>exec.completed -> pin.completed, for the content the event is about (its envelope subject is the cid).</summary>
internal sealed class Completer(EventFactory events, IEventBus bus, PipelineStats stats) : IEventHandler<ExecCompleted>
{
    public async ValueTask HandleAsync(Event envelope, ExecCompleted data, CancellationToken cancellationToken)
    {
        await bus.PublishAsync(events.React(envelope, Pipeline.Source, new PinCompleted(envelope.Subject, Pipeline.ParseResult(data.Result))), cancellationToken);
        stats.Completed();
    }
}
