using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Publishing;

/// <summary>On host stop, flushes what was enqueued within <c>Imb:Publishing:StopFlushTimeout</c>, before the connection closes.</summary>
internal sealed class PublishingHostedService(PublishPipeline pipeline, IOptions<ImbOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(options.Value.Publishing.StopFlushTimeout, cancellationToken);
}
