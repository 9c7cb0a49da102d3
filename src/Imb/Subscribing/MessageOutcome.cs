namespace Imb.Subscribing;

/// <summary>What becomes of a handled message, decided once for the NATS and in-memory subscribers alike.</summary>
/// <param name="Kind">Ack, retry later, or dead-letter.</param>
/// <param name="Delay">For a retry: when the message comes back.</param>
/// <param name="Reason">For a dead letter: why, in one line.</param>
internal readonly record struct MessageOutcome(OutcomeKind Kind, TimeSpan Delay, string? Reason)
{
    public static MessageOutcome Handled { get; } = new(OutcomeKind.Ack, TimeSpan.Zero, null);

    /// <summary>Before the handler runs: a message delivered more often than allowed goes straight to the dead letters.</summary>
    public static MessageOutcome? OnArrival(int deliveryCount, SubscriptionOptions options) =>
        deliveryCount > options.MaxDeliver
            ? new(OutcomeKind.DeadLetter, TimeSpan.Zero, $"Delivered {deliveryCount} times, more than MaxDeliver {options.MaxDeliver}: earlier deliveries never finished (the service stopped or the ack wait passed).")
            : null;

    /// <summary>After the handler threw: poison and the last delivery dead-letter, anything else is retried with backoff.</summary>
    public static MessageOutcome OnFailure(Exception failure, int deliveryCount, SubscriptionOptions options, double random) => failure switch
    {
        ImbException { Kind: ImbErrorKind.Poison } => new(OutcomeKind.DeadLetter, TimeSpan.Zero, $"Poison: {failure.Message}"),
        _ when deliveryCount >= options.MaxDeliver => new(OutcomeKind.DeadLetter, TimeSpan.Zero, $"Failed on delivery {deliveryCount} of {options.MaxDeliver}: {failure.GetType().Name}: {failure.Message}"),
        _ => new(OutcomeKind.Retry, RetryPolicy.Delay(options, deliveryCount, random), null),
    };
}

/// <summary>The three ends of a delivery.</summary>
internal enum OutcomeKind
{
    Ack,
    Retry,
    DeadLetter,
}
