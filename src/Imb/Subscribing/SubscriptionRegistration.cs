namespace Imb.Subscribing;

/// <summary>A subscription's name and handler, as registered on the builder.</summary>
/// <param name="Name">The subscription's name (its named options and, by default, its consumer).</param>
/// <param name="Handler">Handles one message with the services of that message's DI scope.</param>
internal sealed record SubscriptionRegistration(string Name, Func<ReceivedMessage, IServiceProvider, CancellationToken, ValueTask> Handler);
