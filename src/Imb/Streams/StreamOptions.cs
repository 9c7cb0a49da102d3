using System.ComponentModel.DataAnnotations;

namespace Imb;

/// <summary>A declared stream, bound from <c>Imb:Streams:&lt;NAME&gt;</c> or added with <c>AddStream</c>.</summary>
public sealed class StreamOptions
{
    /// <summary>Gets the subjects the stream captures (wildcards allowed); at least one.</summary>
    public IList<string> Subjects { get; } = [];

    /// <summary>Gets or sets the storage.</summary>
    /// <value>The default value is <see cref="StreamStorage.File"/>.</value>
    public StreamStorage Storage { get; set; } = StreamStorage.File;

    /// <summary>Gets or sets the retention policy; it cannot be changed once the stream exists.</summary>
    /// <value>The default value is <see cref="StreamRetention.Limits"/>.</value>
    public StreamRetention Retention { get; set; } = StreamRetention.Limits;

    /// <summary>Gets or sets the oldest a message may get; <see cref="TimeSpan.Zero"/> keeps messages forever.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan MaxAge { get; set; }

    /// <summary>Gets or sets the most bytes the stream holds; -1 is unlimited.</summary>
    /// <value>The default value is -1.</value>
    [Range(-1, long.MaxValue)]
    public long MaxBytes { get; set; } = -1;

    /// <summary>Gets or sets the most messages the stream holds; -1 is unlimited.</summary>
    /// <value>The default value is -1.</value>
    [Range(-1, long.MaxValue)]
    public long MaxMessages { get; set; } = -1;

    /// <summary>Gets or sets the largest message the stream accepts, in bytes; -1 is the server's limit.</summary>
    /// <value>The default value is -1.</value>
    [Range(-1, int.MaxValue)]
    public int MaxMessageSize { get; set; } = -1;

    /// <summary>Gets or sets the most messages kept per subject; -1 is unlimited.</summary>
    /// <value>The default value is -1.</value>
    [Range(-1, long.MaxValue)]
    public long MaxMessagesPerSubject { get; set; } = -1;

    /// <summary>Gets or sets what happens when a limit is reached.</summary>
    /// <value>The default value is <see cref="StreamDiscard.Old"/>.</value>
    public StreamDiscard Discard { get; set; } = StreamDiscard.Old;

    /// <summary>Gets or sets how many servers keep a copy (1 to 5).</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 5)]
    public int Replicas { get; set; } = 1;

    /// <summary>Gets or sets how long a message id is remembered for de-duplication; not longer than <see cref="MaxAge"/>.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets a description shown by server tools.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets a value indicating whether the stream is stored compressed (S2; nats-server 2.10 or later).</summary>
    public bool Compressed { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the stream accepts fast-ingest batches (nats-server 2.14 or later):
    /// <c>EnqueueAsync</c> then sends its messages as one flow-controlled batch, acknowledged every so many messages
    /// instead of one by one, with the same de-duplication and failure reporting.
    /// </summary>
    public bool AllowBatched { get; set; }

    /// <summary>Gets or sets the rewrite of stored subjects (nats-server 2.10 or later); none stores them as published.</summary>
    public SubjectTransformOptions? SubjectTransform { get; set; }

    /// <summary>Gets or sets where the stream's replicas live on a cluster (ignored by the in-memory mode, which has no servers).</summary>
    public StreamPlacementOptions? Placement { get; set; }

    /// <summary>Gets the stream's metadata (nats-server 2.10 or later).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
