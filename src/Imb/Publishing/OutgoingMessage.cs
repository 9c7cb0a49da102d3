using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Publishing;

/// <summary>A validated message ready for JetStream: subject, body, headers and publish options with its id.</summary>
internal sealed record OutgoingMessage(string Subject, ReadOnlyMemory<byte> Payload, NatsHeaders? Headers, NatsJSPubOpts Options)
{
    public string MessageId => Options.MsgId!;
}
