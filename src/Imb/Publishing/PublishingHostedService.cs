using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Publishing;

/// <summary>Runs the publish pipeline's ack loop; on stop, flushes what was enqueued within <c>Imb:Publishing:StopFlushTimeout</c>.</summary>
internal sealed class PublishingHostedService(PublishPipeline pipeline, IOptions<ImbOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(options.Value.Publishing.StopFlushTimeout, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
