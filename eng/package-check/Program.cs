// Starts a host on the packed Imb packages, publishes one event, handles it (traced through Imb.OpenTelemetry), and
// says so; exit code 0 only then.
// Usage: PackageCheck <InMemory|Embedded> <store directory for Embedded>
using System.Reflection;
using Imb;
using Imb.Events;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

var mode = Enum.Parse<ImbMode>(args[0]);
var spans = new List<System.Diagnostics.Activity>();
using var tracing = Sdk.CreateTracerProviderBuilder().AddImbInstrumentation().AddInMemoryExporter(spans).Build();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Services.AddImb(o =>
{
    o.Mode = mode;
    if (mode == ImbMode.Embedded)
    {
        o.Embedded.StoreDirectory = args[1];
    }
}).AddEventHandler<PinRequested, Planner>("planner");

using var host = builder.Build();
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await host.StartAsync(timeout.Token);
await using (var recorder = await BusRecorder.StartAsync(host.Services, ["gdc.events.>"], timeout.Token))
{
    var pin = host.Services.GetRequiredService<EventFactory>().Create(
        "package-check", "QmPackageCheck", new PinRequested("QmPackageCheck", 1024, ["rf-1"], new Dictionary<string, string>(), 1, "package-check"));
    var ack = await host.Services.GetRequiredService<IEventBus>().PublishAsync(pin, timeout.Token);
    var handled = await recorder.WaitForHandledAsync("planner", m => m.MessageId == pin.Id, cancellationToken: timeout.Token);
    Console.WriteLine($"package check: {mode}: published {pin.Type} {pin.Id} (stream {ack.Stream}, sequence {ack.Sequence}), handled by 'planner' at delivery {handled.DeliveryCount}");
}

tracing.ForceFlush();
var published = spans.Count(s => s.Source.Name == ImbDiagnostics.ActivitySourceName && s.DisplayName.StartsWith("publish gdc.events.", StringComparison.Ordinal));
Console.WriteLine($"package check: {mode}: traced {published} publish span(s), {spans.Count} spans in all");
if (published == 0)
{
    throw new InvalidOperationException("Imb.OpenTelemetry recorded no publish span.");
}

foreach (var type in new[] { typeof(ImbOptions), typeof(Event), typeof(BusRecorder), typeof(NATS.Client.Core.NatsConnection), typeof(NATS.Client.JetStream.NatsJSContext), typeof(NATS.NKeys.KeyPair), typeof(Imb.OpenTelemetry.ImbInstrumentationOptions) })
{
    var assembly = type.Assembly;
    var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0].Trim();
    Console.WriteLine($"package check: {mode}: loaded {assembly.GetName().Name} {version}");
}

await host.StopAsync(timeout.Token);

internal sealed class Planner : IEventHandler<PinRequested>
{
    public ValueTask HandleAsync(Event envelope, PinRequested data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
