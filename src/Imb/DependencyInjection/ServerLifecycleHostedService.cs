using Microsoft.Extensions.Hosting;

namespace Imb.DependencyInjection;

/// <summary>
/// Runs the mode's server lifecycle (<see cref="ModeSelection.ServerLifecycle"/>) as one hosted service: each phase
/// in start order when starting, in reverse when stopping, as the host would for services registered one by one.
/// </summary>
internal sealed class ServerLifecycleHostedService(ModeSelection mode) : IHostedLifecycleService
{
    private readonly Lazy<IReadOnlyList<IHostedLifecycleService>> _parts = new(() => mode.ServerLifecycle);

    public Task StartingAsync(CancellationToken cancellationToken) => InOrderAsync((p, ct) => p.StartingAsync(ct), cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => InOrderAsync((p, ct) => p.StartAsync(ct), cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => InOrderAsync((p, ct) => p.StartedAsync(ct), cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => InReverseAsync((p, ct) => p.StoppingAsync(ct), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => InReverseAsync((p, ct) => p.StopAsync(ct), cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => InReverseAsync((p, ct) => p.StoppedAsync(ct), cancellationToken);

    private async Task InOrderAsync(Func<IHostedLifecycleService, CancellationToken, Task> phase, CancellationToken cancellationToken)
    {
        foreach (var part in _parts.Value)
        {
            await phase(part, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InReverseAsync(Func<IHostedLifecycleService, CancellationToken, Task> phase, CancellationToken cancellationToken)
    {
        for (var i = _parts.Value.Count - 1; i >= 0; i--)
        {
            await phase(_parts.Value[i], cancellationToken).ConfigureAwait(false);
        }
    }
}
