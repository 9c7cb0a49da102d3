using NATS.Client.Core;

namespace Imb.Subscribing;

/// <summary>A core NATS subscription seen as <see cref="ReceivedMessage"/>s; disposing it unsubscribes.</summary>
internal sealed class LiveSubscription(INatsSub<ReadOnlyMemory<byte>> subscription) : ILiveSubscription
{
    public string Subject => subscription.Subject;

    public async IAsyncEnumerator<ReceivedMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // Ends when the subscription is disposed (its channel completes) or the caller cancels.
        while (await subscription.Msgs.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (subscription.Msgs.TryRead(out var message))
            {
                yield return new ReceivedMessage(message.Subject, message.Data, message.Headers);
            }
        }
    }

    public ValueTask DisposeAsync() => subscription.DisposeAsync();
}
