using System.Threading.Channels;

namespace Imb.InMemory;

/// <summary>A live subscription on the in-memory broker; disposing it stops listening.</summary>
internal sealed class InMemoryLiveSubscription(InMemoryBroker broker, Channel<ReceivedMessage> channel, string subject) : ILiveSubscription
{
    public string Subject => subject;

    public IAsyncEnumerator<ReceivedMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        channel.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    public ValueTask DisposeAsync()
    {
        broker.StopListening(channel);
        return ValueTask.CompletedTask;
    }
}
