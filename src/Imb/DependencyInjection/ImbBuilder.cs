using Microsoft.Extensions.DependencyInjection;

namespace Imb.DependencyInjection;

internal sealed record ImbBuilder(IServiceCollection Services) : IImbBuilder;
