using Gdc.Pipeline;
using Imb;
using Imb.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The GDC pipeline demo host: pin.requested -> plan.ready -> exec.progress, exec.completed -> pin.completed, each
// reaction's id derived from its cause's, on an embedded nats-server (or External: Imb__Mode, Imb__Servers__0).
// `--publish N` also sends N pin.requested events (and `--unreadable K` unreadable ones) and prints a summary;
// `--trace [console|<file>]` exports the traces and ends with the first pin's trace as a tree.
var (tracing, hostArgs) = DemoTracing.From(args);
using var _ = tracing;
var builder = Host.CreateApplicationBuilder(hostArgs);
builder.Services.AddSingleton<PipelineStats>();
builder.Services.AddImb()
    .AddEventHandler<PinRequested, Planner>("planner", Stage)
    .AddEventHandler<PlanReady, Executor>("executor", Stage)
    .AddEventHandler<ExecCompleted, Completer>("completer", Stage);
using var host = builder.Build();

try
{
    await host.StartAsync();
}
catch (ImbException)
{
    // The host has logged why ("Hosting failed to start", with Imb's message: the server or stream named, no secret).
    return 1;
}

var info = host.Services.GetRequiredService<IImbServerInfo>();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gdc.Pipeline");
logger.Ready(info.ServerVersion, info.Servers);
var publish = builder.Configuration.GetValue<int>("publish");
var exitCode = 0;
if (publish > 0)
{
    var unreadable = builder.Configuration.GetValue("unreadable", 1);
    var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
    exitCode = await new LoadRun(host.Services, logger).RunAsync(publish, unreadable, stopping);
    tracing?.PrintFirstPin();
    await host.StopAsync();
}
else
{
    await host.WaitForShutdownAsync();
}

return exitCode;

// Each stage handles up to 16 events at once: order within a stage does not matter in this pipeline.
static void Stage(SubscriptionOptions options)
{
    options.Concurrency = 16;
    options.Prefetch = 256;
}
