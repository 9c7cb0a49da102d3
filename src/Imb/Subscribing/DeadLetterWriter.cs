using System.Globalization;
using Imb.Connection;
using Imb.Publishing;
using NATS.Client.Core;

namespace Imb.Subscribing;

/// <summary>
/// Writes a dead letter to <c>imb.dlq.&lt;stream&gt;.&lt;consumer&gt;</c>: the original body unchanged, the original
/// headers with diagnostic <c>Imb-Dlq-*</c> headers added, under a new message id.
/// </summary>
internal sealed class DeadLetterWriter(ImbConnection connection, JetStreamPublisher publisher)
{
    public const string SubjectPrefix = "imb.dlq.";
    private const int MaxReasonLength = 1000;

    public static string SubjectFor(string stream, string consumer) => SubjectPrefix + stream + "." + consumer;

    public async Task<PublishAck> WriteAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        var stream = message.Stream!;
        var consumer = message.Consumer!;
        var subject = SubjectFor(stream, consumer);
        var headers = new NatsHeaders();
        if (message.NatsHeaders is { } original)
        {
            foreach (var (name, value) in original)
            {
                // The id gets a new value below; expectations and rollups were instructions to the original stream.
                if (!name.Equals("Nats-Msg-Id", StringComparison.OrdinalIgnoreCase) &&
                    !name.StartsWith("Nats-Expected-", StringComparison.OrdinalIgnoreCase) &&
                    !name.Equals("Nats-Rollup", StringComparison.OrdinalIgnoreCase))
                {
                    headers[name] = value;
                }
            }
        }

        headers["Imb-Dlq-Stream"] = stream;
        headers["Imb-Dlq-Sequence"] = message.StreamSequence.ToString(CultureInfo.InvariantCulture);
        headers["Imb-Dlq-Subject"] = message.Subject;
        headers["Imb-Dlq-Consumer"] = consumer;
        headers["Imb-Dlq-Deliveries"] = message.DeliveryCount.ToString(CultureInfo.InvariantCulture);
        headers["Imb-Dlq-Reason"] = OneLine(reason);

        // One id per dead-lettering of one stored message: a retry after a lost ack is a duplicate, not a second letter.
        var id = string.Create(CultureInfo.InvariantCulture, $"dlq:{stream}:{consumer}:{message.StreamSequence}");
        var headerBytes = MessageValidator.HeaderFramingBytes + MessageValidator.HeaderLineBytes("Nats-Msg-Id", id) +
            headers.Sum(h => h.Value.Sum(v => MessageValidator.HeaderLineBytes(h.Key, v ?? string.Empty)));
        MessageValidator.CheckSize(subject, message.Data.Length, headerBytes, connection.Connection.ServerInfo?.MaxPayload ?? 0);
        var outgoing = new OutgoingMessage(subject, message.Data, headers, MessageValidator.BuildOptions(null, id));
        return await publisher.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails start when no stream would store a subscription's dead letters: they would have nowhere to go.</summary>
    public async Task RequireStreamAsync(string subscription, string stream, string consumer, CancellationToken cancellationToken)
    {
        var subject = SubjectFor(stream, consumer);
        await foreach (var _ in connection.JetStream.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new ImbException(
            $"Subscription {subscription} dead-letters to {subject}, but no stream on {connection.Servers} captures that subject. " +
            "Keep the default topology (stream IMB_DLQ over imb.dlq.>) or declare a stream over imb.dlq.>.")
        { Kind = ImbErrorKind.NoStream };
    }

    /// <summary>Flattens a reason to one line of bounded length, as a header value must be.</summary>
    public static string OneLine(string reason)
    {
        var line = reason.ReplaceLineEndings(" ");
        return line.Length <= MaxReasonLength ? line : string.Concat(line.AsSpan(0, MaxReasonLength - 1), "...");
    }
}
