using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Streams;

/// <summary>Provisions the declared streams once connected (registration order), before any subscriber starts.</summary>
internal sealed class StreamProvisioningHostedService(StreamProvisioner provisioner, IOptions<ImbOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) =>
        options.Value.Mode == ImbMode.InMemory ? Task.CompletedTask : provisioner.ProvisionDeclaredAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
