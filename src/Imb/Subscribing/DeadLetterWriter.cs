using Imb.Connection;
using Imb.Publishing;
using Imb.Streams;

namespace Imb.Subscribing;

/// <summary>Publishes dead letters to the dead-letter stream on NATS, and checks at start that one captures them.</summary>
internal sealed class DeadLetterWriter(ImbConnection connection, JetStreamPublisher publisher)
{
    public async Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var headerBytes = MessageValidator.HeaderBytes(letter.Headers, letter.MessageId);
        MessageValidator.CheckSize(letter.Subject, letter.Data.Length, headerBytes, connection.Connection.ServerInfo?.MaxPayload ?? 0);
        var outgoing = new OutgoingMessage(letter.Subject, letter.Data, letter.Headers, MessageValidator.BuildOptions(null, letter.MessageId));
        await publisher.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails start when no stream would store a subscription's dead letters: they would have nowhere to go.</summary>
    public async Task RequireStreamAsync(string subscription, string stream, string consumer, CancellationToken cancellationToken)
    {
        var subject = DeadLetterSubjects.For(stream, consumer);
        await foreach (var _ in connection.JetStream.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new ImbException(
            $"Subscription {subscription} dead-letters to {subject}, but no stream on {connection.Servers} captures that subject. " +
            $"Keep the default topology (stream {DefaultTopology.DeadLetters} over {DeadLetterSubjects.All}) or declare a stream over {DeadLetterSubjects.All}.")
        { Kind = ImbErrorKind.NoStream };
    }
}
