namespace Imb;

/// <summary>Handles the messages of one subscription; resolved from a new DI scope for every message.</summary>
public interface IMessageHandler
{
    /// <summary>Handles one message. Returning acknowledges it; throwing retries it later, and after the last delivery dead-letters it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancelled when host stop gives up waiting; the message is then left for redelivery.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    /// <remarks>Throw an <see cref="ImbException"/> of kind <see cref="ImbErrorKind.Poison"/> for a message that can never succeed: it is dead-lettered at once.</remarks>
    ValueTask HandleAsync(ReceivedMessage message, CancellationToken cancellationToken);
}
