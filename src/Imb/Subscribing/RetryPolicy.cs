namespace Imb.Subscribing;

/// <summary>The delay before a failed message is redelivered: exponential per delivery, capped, with up to 20% jitter added.</summary>
internal static class RetryPolicy
{
    public static TimeSpan Delay(SubscriptionOptions options, int deliveryCount, double random)
    {
        // Doubling stops early: 2^30 times any delay is past every cap we accept.
        var exponent = Math.Clamp(deliveryCount - 1, 0, 30);
        var ticks = Math.Min(options.RetryDelay.Ticks * (double)(1L << exponent), options.MaxRetryDelay.Ticks);

        // Jitter only adds, so a redelivery never comes sooner than the configured delay.
        return TimeSpan.FromTicks((long)(ticks * (1 + (0.2 * random))));
    }
}
