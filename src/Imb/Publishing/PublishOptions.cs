namespace Imb;

/// <summary>Per-message publish settings: message id, headers, and optimistic-concurrency expectations.</summary>
public sealed class PublishOptions
{
    /// <summary>Gets or sets the message id JetStream de-duplicates on (<c>Nats-Msg-Id</c>).</summary>
    /// <value>The default is <see langword="null"/>: a new time-sortable id.</value>
    public string? MessageId { get; set; }

    /// <summary>Gets the message headers. Names starting with <c>Nats-</c> are the server's and are refused.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the stream that must capture the subject.</summary>
    public string? ExpectedStream { get; set; }

    /// <summary>Gets or sets the sequence the stream's last message must have.</summary>
    public ulong? ExpectedLastSequence { get; set; }

    /// <summary>Gets or sets the sequence the last message on this subject must have.</summary>
    public ulong? ExpectedLastSubjectSequence { get; set; }

    /// <summary>Gets or sets the id the stream's last message must have.</summary>
    public string? ExpectedLastMessageId { get; set; }
}
