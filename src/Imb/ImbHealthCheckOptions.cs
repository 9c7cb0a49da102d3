using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb;

/// <summary>Imb's health check (<c>Imb:HealthCheck</c>): whether it is registered, under which name and tags, and what it reports when failing.</summary>
public sealed class ImbHealthCheckOptions
{
    /// <summary>Gets or sets a value indicating whether the health check is registered.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the health check's name, as health reports show it.</summary>
    /// <value>The default value is <c>imb</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "imb";

    /// <summary>Gets the health check's tags, to select it in a health endpoint's predicate; empty means the one tag <c>imb</c>.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>
    /// Gets or sets what the check reports where Imb cannot work (disconnected, a subscription failed): for example
    /// <see cref="HealthStatus.Degraded"/> where a service stays useful without the bus. Degraded states stay Degraded.
    /// </summary>
    /// <value>The default value is <see cref="HealthStatus.Unhealthy"/>.</value>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;
}
