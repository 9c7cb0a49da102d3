using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Imb;

/// <summary>The root options of Imb, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class ImbOptions
{
    /// <summary>The configuration section Imb binds: <c>Imb</c>.</summary>
    public const string SectionName = "Imb";

    /// <summary>Gets or sets where the NATS server comes from.</summary>
    /// <value>The default value is <see cref="ImbMode.Embedded"/>.</value>
    [EnumDataType(typeof(ImbMode))]
    public ImbMode Mode { get; set; } = ImbMode.Embedded;

    /// <summary>Gets the server URLs for <see cref="ImbMode.External"/> mode (<c>nats://host:4222</c>, <c>tls://…</c>).</summary>
    public IList<string> Servers { get; } = [];

    /// <summary>Gets the embedded server's options.</summary>
    [ValidateObjectMembers]
    public EmbeddedServerOptions Embedded { get; } = new();

    /// <summary>Gets or sets the connection name the server shows in its monitoring.</summary>
    /// <value>The default is <see langword="null"/>: the entry assembly's name.</value>
    public string? ClientName { get; set; }

    /// <summary>Gets the credentials used to connect.</summary>
    public CredentialsOptions Credentials { get; } = new();

    /// <summary>Gets the TLS settings used to connect.</summary>
    public TlsOptions Tls { get; } = new();

    /// <summary>Gets or sets the time one connect attempt may take; a JetStream API request (provisioning, consumer checks) waits as long, or <see cref="PublishingOptions.AckTimeout"/> if that is longer.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the budget for the first connection at start: retried within it, then start fails.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StartupConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the wait between reconnect attempts after the connection is lost (the first attempt is at once), plus
    /// up to half as much again at random so that many clients do not all return at the same moment. It does not grow:
    /// a server that comes back after a long outage is found within one wait.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets what Imb may do to declared streams at start.</summary>
    /// <value>The default value is <see cref="ProvisioningMode.CreateOrUpdate"/>.</value>
    [EnumDataType(typeof(ProvisioningMode))]
    public ProvisioningMode Provisioning { get; set; } = ProvisioningMode.CreateOrUpdate;

    /// <summary>
    /// Gets or sets how long start keeps trying to provision the declared streams while JetStream does not answer or
    /// says it is unavailable (a cluster electing its leader after a node restarted); each try is logged (event 310).
    /// A refusal that would not pass (a changed storage, an overlap) fails start at once.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ProvisioningTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the declared streams by name (<c>Imb:Streams:&lt;NAME&gt;</c>).</summary>
    public IDictionary<string, StreamOptions> Streams { get; } = new Dictionary<string, StreamOptions>(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether the default topology (SYSTEM and IMB_DLQ; GDC_EVENTS once Imb.Events is added) is declared too.</summary>
    /// <value>The default is <see langword="true"/>; a stream of the same name under <see cref="Streams"/> replaces the default one.</value>
    public bool DefaultTopology { get; set; } = true;

    /// <summary>Gets or sets how many replicas the default topology's streams have: 3 on a three-node cluster, so that a node's loss loses no dead letter or event.</summary>
    /// <value>The default value is 1 (a single server, or the embedded one).</value>
    [Range(1, 5)]
    public int DefaultTopologyReplicas { get; set; } = 1;

    /// <summary>Gets the publishing settings.</summary>
    [ValidateObjectMembers]
    public PublishingOptions Publishing { get; } = new();

    /// <summary>Gets the settings shared by every subscription; each subscription has its own under <c>Imb:Subscriptions:&lt;name&gt;</c>.</summary>
    [ValidateObjectMembers]
    public SubscribingOptions Subscribing { get; } = new();

    /// <summary>Gets the health check's settings.</summary>
    [ValidateObjectMembers]
    public ImbHealthCheckOptions HealthCheck { get; } = new();

    /// <summary>Gets or sets how many reconnect attempts are made after the connection is lost; -1 retries forever.</summary>
    /// <value>The default value is -1.</value>
    [Range(-1, int.MaxValue)]
    public int MaxReconnectAttempts { get; set; } = -1;
}
