namespace Imb.Subscribing;

/// <summary>A subscription's name and handler, as registered on the builder.</summary>
/// <param name="Name">The subscription's name (its named options and, by default, its consumer).</param>
/// <param name="Handler">Handles one message with the services of that message's DI scope.</param>
internal sealed record SubscriptionRegistration(string Name, Func<ReceivedMessage, IServiceProvider, CancellationToken, ValueTask> Handler)
{
    /// <summary>
    /// Runs the handler on one message and tells whether it is over already, successfully, with no DI scope to end:
    /// the subscriber may then settle the message at once, without an async state machine (most of the cost per
    /// message otherwise). If not, <paramref name="pending"/> is the handling to await; a handler that throws before
    /// its first await is a faulted one, so both subscribers (NATS and in-memory) have one failure path.
    /// </summary>
    public bool TryHandleAtOnce(ReceivedMessage message, MessageServices services, CancellationToken cancellationToken, out ValueTask pending)
    {
        ValueTask handling;
        try
        {
            handling = Handler(message, services, cancellationToken);
        }
        catch (Exception e)
        {
            handling = ValueTask.FromException(e);
        }

        if (handling.IsCompletedSuccessfully && !services.HasScope)
        {
            handling.GetAwaiter().GetResult(); // completed: this only releases a pooled ValueTask source
            pending = ValueTask.CompletedTask;
            return true;
        }

        pending = handling;
        return false;
    }
}
