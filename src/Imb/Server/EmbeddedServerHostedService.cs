using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Server;

/// <summary>Starts the embedded server before anything else starts and stops it after everything else stopped.</summary>
internal sealed class EmbeddedServerHostedService(EmbeddedNatsServer server, IOptions<ImbOptions> options) : IHostedLifecycleService
{
    private bool IsEmbedded => options.Value.Mode == ImbMode.Embedded;

    public Task StartingAsync(CancellationToken cancellationToken) =>
        IsEmbedded ? server.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) =>
        IsEmbedded ? server.StopAsync(cancellationToken) : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
