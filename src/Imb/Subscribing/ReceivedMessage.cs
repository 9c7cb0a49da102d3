using NATS.Client.Core;

namespace Imb;

/// <summary>A message a subscription received: its subject, body and headers, and where it came from.</summary>
/// <remarks>
/// One is allocated for every message delivered, so its fields are kept few: the stream and consumer are one shared
/// reference, the timestamp is its ticks (measured, 136 bytes a message became 112, and the in-memory subscriber
/// spends much of its time allocating these).
/// </remarks>
public sealed class ReceivedMessage
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
    private readonly UInt128 _generatedId;
    private readonly long _timestampTicks;
    private IReadOnlyDictionary<string, string>? _headers;
    private string? _messageId;

    internal ReceivedMessage(string subject, ReadOnlyMemory<byte> data, NatsHeaders? natsHeaders)
        : this(subject, data, natsHeaders, natsHeaders is not null && natsHeaders.TryGetValue(Publishing.NatsHeaderNames.MessageId, out var id) ? id.ToString() : null)
    {
    }

    /// <summary>For the in-memory broker, which keeps the id apart from the headers (fewer objects per stored message).</summary>
    internal ReceivedMessage(string subject, ReadOnlyMemory<byte> data, NatsHeaders? natsHeaders, string? messageId)
    {
        Subject = subject;
        Data = data;
        NatsHeaders = natsHeaders;
        _messageId = messageId;
    }

    /// <summary>For the in-memory broker's deliveries: an id it generated is formatted only if someone reads it.</summary>
    internal ReceivedMessage(string subject, ReadOnlyMemory<byte> data, NatsHeaders? natsHeaders, string? callerId, UInt128 generatedId)
        : this(subject, data, natsHeaders, callerId)
    {
        _generatedId = generatedId;
    }

    /// <summary>Gets the subject the message was published to.</summary>
    public string Subject { get; }

    /// <summary>Gets the message body.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the headers; a header sent more than once has its values joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers ??= BuildHeaders();

    /// <summary>Gets the message id JetStream de-duplicated on (<c>Nats-Msg-Id</c>), when the publisher set one.</summary>
    public string? MessageId => _messageId ??= _generatedId == 0 ? null : Publishing.MessageIds.Format(_generatedId);

    /// <summary>Gets the stream that stored the message; <see langword="null"/> on a live subscription.</summary>
    public string? Stream => Source?.Stream;

    /// <summary>Gets the consumer that delivered the message; <see langword="null"/> on a live subscription.</summary>
    public string? Consumer => Source?.Consumer;

    /// <summary>Gets the message's sequence number in its stream; 0 on a live subscription.</summary>
    public ulong StreamSequence { get; init; }

    /// <summary>Gets how many times the message has been delivered, this time included; 1 on a live subscription.</summary>
    public int DeliveryCount { get; init; } = 1;

    /// <summary>Gets when the stream stored the message (in UTC); <see langword="null"/> on a live subscription.</summary>
    public DateTimeOffset? Timestamp
    {
        get => _timestampTicks == 0 ? null : new DateTimeOffset(_timestampTicks, TimeSpan.Zero);
        init => _timestampTicks = value?.UtcTicks ?? 0;
    }

    /// <summary>Gets where the message came from; <see langword="null"/> on a live subscription.</summary>
    internal Subscribing.DeliverySource? Source { get; init; }

    /// <summary>Gets the headers as NATS delivered them, for dead letters that keep them unchanged.</summary>
    internal NatsHeaders? NatsHeaders { get; }

    private IReadOnlyDictionary<string, string> BuildHeaders()
    {
        if (NatsHeaders is null && MessageId is null)
        {
            return NoHeaders;
        }

        var headers = NatsHeaders?.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);

        // As a JetStream delivery carries it.
        if (MessageId is not null)
        {
            headers.TryAdd(Publishing.NatsHeaderNames.MessageId, MessageId);
        }

        return headers;
    }
}
