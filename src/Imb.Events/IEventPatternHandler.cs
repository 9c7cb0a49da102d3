namespace Imb.Events;

/// <summary>Handles every event whose type matches a pattern (<c>pin.*</c>, <c>&gt;</c>); <c>envelope.Data</c> is the typed payload.</summary>
public interface IEventPatternHandler
{
    /// <summary>Handles one event. Returning acknowledges it; throwing retries it, then dead-letters it.</summary>
    /// <param name="envelope">The event, with its typed payload.</param>
    /// <param name="cancellationToken">Cancelled when host stop gives up waiting.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(Event envelope, CancellationToken cancellationToken);
}
