using System.ComponentModel.DataAnnotations;

namespace Imb;

/// <summary>One durable subscription, bound from <c>Imb:Subscriptions:&lt;name&gt;</c> and set by <c>AddSubscription</c>.</summary>
public sealed class SubscriptionOptions
{
    /// <summary>Gets or sets the stream the subscription consumes.</summary>
    [Required]
    public string Stream { get; set; } = string.Empty;

    /// <summary>Gets or sets the durable consumer's name.</summary>
    /// <value>The default is <see langword="null"/>: the subscription's name.</value>
    public string? Consumer { get; set; }

    /// <summary>Gets or sets the subject filter (wildcards allowed); it must lie within the stream's subjects.</summary>
    /// <value>The default is <see langword="null"/>: every subject of the stream.</value>
    public string? FilterSubject { get; set; }

    /// <summary>Gets several subject filters, none overlapping another, instead of <see cref="FilterSubject"/> (<c>FilterSubjects:0..n</c>); more than one needs nats-server 2.10.</summary>
    /// <value>The default is empty: <see cref="FilterSubject"/> decides.</value>
    public IList<string> FilterSubjects { get; } = [];

    /// <summary>Gets or sets where a new consumer starts; it cannot change once the consumer exists.</summary>
    /// <value>The default value is <see cref="SubscriptionStart.All"/>.</value>
    [EnumDataType(typeof(SubscriptionStart))]
    public SubscriptionStart Start { get; set; } = SubscriptionStart.All;

    /// <summary>Gets or sets how long the server waits for an ack before it redelivers; long handlers are kept alive with progress acks.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a message is delivered before it is dead-lettered.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 10_000)]
    public int MaxDeliver { get; set; } = 5;

    /// <summary>Gets or sets the delay before the first redelivery of a failed message; it doubles per delivery, with up to 20% jitter added.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between redeliveries of a failed message (before jitter).</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many delivered messages may await their ack at once, across every instance of the service.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 1_000_000)]
    public int MaxAckPending { get; set; } = 1000;

    /// <summary>Gets or sets how many messages are handled at once; 1 handles them in order.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = 1;

    /// <summary>Gets or sets how many messages are fetched ahead of the handler.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, 100_000)]
    public int Prefetch { get; set; } = 256;
}
