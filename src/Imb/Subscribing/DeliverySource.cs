namespace Imb.Subscribing;

/// <summary>The stream and consumer a subscription's messages come from: one object a subscription, referenced by each message.</summary>
internal sealed record DeliverySource(string Stream, string Consumer);
