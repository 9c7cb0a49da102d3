using Microsoft.Extensions.Hosting;

namespace Imb.Connection;

/// <summary>Connects after the embedded server is up (registration order) and disconnects before it stops.</summary>
internal sealed class ConnectionHostedService(ImbConnection connection) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => connection.ConnectAsync(cancellationToken);

    public async Task StoppedAsync(CancellationToken cancellationToken) => await connection.DisposeAsync().ConfigureAwait(false);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
