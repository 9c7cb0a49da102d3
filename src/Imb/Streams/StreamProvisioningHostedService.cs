using Microsoft.Extensions.Hosting;

namespace Imb.Streams;

/// <summary>Provisions the declared streams once connected (registration order), before any subscriber starts.</summary>
internal sealed class StreamProvisioningHostedService(StreamProvisioner provisioner) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => provisioner.ProvisionDeclaredAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
