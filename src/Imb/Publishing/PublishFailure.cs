namespace Imb;

/// <summary>An enqueued message the stream did not store.</summary>
/// <param name="Subject">The message's subject.</param>
/// <param name="MessageId">The message's id.</param>
/// <param name="Error">Why it was not stored.</param>
public sealed record PublishFailure(string Subject, string MessageId, ImbException Error);
