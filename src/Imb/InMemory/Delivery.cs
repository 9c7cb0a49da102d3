namespace Imb.InMemory;

/// <summary>A stored message handed to a subscriber, and how many times it has been delivered, this time included.</summary>
internal readonly record struct Delivery(StoredMessage Message, int Count);
