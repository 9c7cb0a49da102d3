namespace Imb.Subscribing;

/// <summary>The delay before a failed message is redelivered: exponential per delivery, capped, with up to 20% jitter added.</summary>
internal static class RetryPolicy
{
    public static TimeSpan Delay(SubscriptionOptions options, int deliveryCount, double random)
    {
        var ticks = Backoff.ForAttempt(options.RetryDelay, deliveryCount, options.MaxRetryDelay).Ticks;

        // Jitter only adds, so a redelivery never comes sooner than the configured delay.
        return TimeSpan.FromTicks((long)(ticks * (1 + (0.2 * random))));
    }
}
