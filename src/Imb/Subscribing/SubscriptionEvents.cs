namespace Imb.Subscribing;

/// <summary>Tells observers (the test harness) that a subscription handled a message; both subscribers raise it.</summary>
internal sealed class SubscriptionEvents
{
    /// <summary>Raised after a message was handled and acknowledged: the subscription's name and the message.</summary>
    public event Action<string, ReceivedMessage>? Handled;

    public void OnHandled(string subscription, ReceivedMessage message) => Handled?.Invoke(subscription, message);
}
