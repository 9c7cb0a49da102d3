using Gdc.Pipeline;
using Imb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The GDC pipeline demo host. For now it shows Imb's foundation: an embedded (or external) JetStream server,
// started, connected and supervised by the host; the event loop arrives with the events issue.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddImb();
using var host = builder.Build();

await host.StartAsync();
var info = host.Services.GetRequiredService<IImbServerInfo>();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gdc.Pipeline");
logger.Ready(info.ServerVersion, info.Servers);
await host.WaitForShutdownAsync();
