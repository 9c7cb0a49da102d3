using Microsoft.Extensions.Hosting;

namespace Imb.Server;

/// <summary>Starts the embedded server before anything else starts and stops it after everything else stopped.</summary>
internal sealed class EmbeddedServerHostedService(EmbeddedNatsServer server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
