namespace Imb.Events;

/// <summary>Handles events of one type with their typed data; resolved from a new DI scope per event.</summary>
/// <typeparam name="TData">The payload type, which names the event type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It handles events; not a .NET event delegate, named as the house style names it.")]
public interface IEventHandler<in TData>
    where TData : EventData
{
    /// <summary>Handles one event. Returning acknowledges it; throwing retries it, then dead-letters it.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <param name="data">The typed payload (also <c>envelope.Data</c>).</param>
    /// <param name="cancellationToken">Cancelled when host stop gives up waiting.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(Event envelope, TData data, CancellationToken cancellationToken);
}
