using System.ComponentModel.DataAnnotations;

namespace Imb;

/// <summary>How Imb runs its subscriptions (section <c>Imb:Subscribing</c>).</summary>
public sealed class SubscribingOptions
{
    /// <summary>Gets or sets how long host stop waits for in-flight handlers; what has not finished by then is left for redelivery.</summary>
    /// <value>The default value is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how often each subscription asks the server for its consumer, to find one deleted from outside and to report pending counts.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConsumerCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long the server may stay silent on a subscription's open pull before it sends a heartbeat. Two
    /// missed heartbeats mean the pull is gone (a consumer leader died, a connection half-opened), and the subscription
    /// pulls again: this bounds how long a lost consumer leader goes unnoticed.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:00:30")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long each pull request lives on the server before the subscription replaces it; at least twice <see cref="Heartbeat"/>.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PullExpiry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest wait between attempts to recover a failed subscription; waits start at 100 ms and double.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxRecoveryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
