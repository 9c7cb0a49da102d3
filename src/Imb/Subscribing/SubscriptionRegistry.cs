namespace Imb.Subscribing;

/// <summary>Every registered subscription, collected through options so that no state is static.</summary>
internal sealed class SubscriptionRegistry
{
    public Dictionary<string, SubscriptionRegistration> Subscriptions { get; } = new(StringComparer.Ordinal);
}
