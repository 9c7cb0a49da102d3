using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Connection;

/// <summary>Connects after the embedded server is up (registration order) and disconnects before it stops.</summary>
internal sealed class ConnectionHostedService(ImbConnection connection, IOptions<ImbOptions> options) : IHostedLifecycleService
{
    private bool UsesServer => options.Value.Mode != ImbMode.InMemory;

    public Task StartingAsync(CancellationToken cancellationToken) =>
        UsesServer ? connection.ConnectAsync(cancellationToken) : Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken) => await connection.DisposeAsync().ConfigureAwait(false);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
