namespace Imb;

/// <summary>An ephemeral subscription, for tools and tests: every message published to its subjects from now on, until disposed.</summary>
/// <remarks>Nothing is stored or acknowledged for it: a message published while nobody enumerates is buffered in memory (and dropped, with a log, when the buffer is full).</remarks>
public interface ILiveSubscription : IAsyncEnumerable<ReceivedMessage>, IAsyncDisposable
{
    /// <summary>Gets the subject pattern subscribed to.</summary>
    string Subject { get; }
}
