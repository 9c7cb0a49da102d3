using System.ComponentModel.DataAnnotations;

namespace Imb;

/// <summary>How Imb publishes (section <c>Imb:Publishing</c>).</summary>
public sealed class PublishingOptions
{
    /// <summary>Gets or sets how many enqueued messages may await their ack at once; a full window makes <c>EnqueueAsync</c> wait.</summary>
    /// <value>The default value is 1024.</value>
    [Range(1, 65536)]
    public int MaxInFlight { get; set; } = 1024;

    /// <summary>Gets or sets how long one publish attempt waits for the stream's ack.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a publish waits for its ack before it sends the message again under the same id, while still
    /// waiting for the first answer; a connection restored in the meantime sends it again at once. The stream answers
    /// a message it already stored as a duplicate, with its sequence, so a lost ack costs this wait, not
    /// <see cref="AckTimeout"/>, and nothing is stored twice. <see cref="TimeSpan.Zero"/> sends again only after AckTimeout.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a message is retried (same id) after timeouts and lost connections before it is reported failed.</summary>
    /// <value>The default value is 60 seconds; keep it shorter than the streams' duplicate window.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long host stop waits for enqueued messages to be acknowledged.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StopFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
