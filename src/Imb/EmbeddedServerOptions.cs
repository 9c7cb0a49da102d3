using System.ComponentModel.DataAnnotations;

namespace Imb;

/// <summary>Options for the nats-server child process Imb runs in <see cref="ImbMode.Embedded"/> mode.</summary>
public sealed class EmbeddedServerOptions
{
    /// <summary>Gets or sets the nats-server executable.</summary>
    /// <value>The default is <see langword="null"/>: <c>nats-server</c> is looked up on <c>PATH</c>.</value>
    public string? ServerPath { get; set; }

    /// <summary>Gets or sets the client port on 127.0.0.1.</summary>
    /// <value>The default value is 0: a free port is picked at start and kept across restarts.</value>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Gets or sets the JetStream store directory, relative to the host's content root when not absolute.</summary>
    /// <value>The default value is <c>.imb/nats</c>.</value>
    [Required]
    public string StoreDirectory { get; set; } = Path.Combine(".imb", "nats");

    /// <summary>Gets or sets an extra nats-server configuration file included into the generated one (limits, accounts).</summary>
    /// <value>The default is <see langword="null"/>: none.</value>
    public string? ConfigFile { get; set; }

    /// <summary>Gets or sets how long the server may take to report itself ready.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a graceful stop may take before the process is killed.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets a value indicating whether the server writes every stored message through to disk before it
    /// acknowledges it (<c>jetstream { sync_interval: always }</c>, nats-server 2.10 or later): an acknowledged message
    /// then survives a power loss or an OS crash, not only a crash of the server process, at a cost in throughput.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the server's own default, a sync every two minutes.</value>
    public bool SyncAlways { get; set; }
}
