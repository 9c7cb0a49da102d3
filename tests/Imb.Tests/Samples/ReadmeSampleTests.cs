using System.Text;
using Imb.Events;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Imb.Tests.Samples;

/// <summary>The README's in-memory sample, kept true by running it.</summary>
public sealed class ReadmeSampleTests
{
    [Fact]
    public async Task PinRequested_IsPlanned()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddImb(o => o.Mode = ImbMode.InMemory).AddEventHandler<PinRequested, Planner>("planner");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await using var bus = await BusRecorder.StartAsync(host.Services, cancellationToken: TestContext.Current.CancellationToken);
        var events = host.Services.GetRequiredService<EventFactory>();

        await host.Services.GetRequiredService<IEventBus>().PublishAsync(events.Create("test", "QmA", new PinRequested("QmA", 1, ["rf-2"], new Dictionary<string, string>(), 1, "me")), TestContext.Current.CancellationToken);

        var plan = await bus.WaitForPublishedAsync(m => m.Subject == "gdc.events.plan.ready", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("QmA", Encoding.UTF8.GetString(plan.Data.Span), StringComparison.Ordinal);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    internal sealed class Planner(EventFactory events, IEventBus bus) : IEventHandler<PinRequested>
    {
        public async ValueTask HandleAsync(Event envelope, PinRequested data, CancellationToken cancellationToken) =>
            await bus.PublishAsync(events.React(envelope, "planner", new PlanReady(data.Cid, [])), cancellationToken);
    }
}
