using Microsoft.Extensions.DependencyInjection;

namespace Imb;

/// <summary>Configures Imb after <c>AddImb</c>: streams, handlers and the embedded server.</summary>
public interface IImbBuilder
{
    /// <summary>Gets the service collection Imb is registered in.</summary>
    IServiceCollection Services { get; }
}
