using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Benchmarks;

/// <summary>One server, one stream, and both clients on it: raw NATS.Net and an Imb host.</summary>
internal sealed class BenchContext : IAsyncDisposable
{
    public const string Stream = "BENCH";
    public const string Subject = "bench.msg";

    private readonly NatsConnection _raw;
    private readonly IHost _host;

    private BenchContext(NatsConnection raw, IHost host)
    {
        _raw = raw;
        _host = host;
        RawJetStream = new NatsJSContext(raw);
        Bus = host.Services.GetRequiredService<IMessageBus>();
    }

    public NatsJSContext RawJetStream { get; }

    public IMessageBus Bus { get; }

    public static async Task<BenchContext> StartAsync(string url)
    {
        var raw = new NatsConnection(NatsOpts.Default with { Url = url });
        await raw.ConnectAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddImb(o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(url);
            o.DefaultTopology = false;
        }).AddStream(Stream, s => s.Subjects.Add("bench.>"));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchContext(raw, host);
    }

    public async Task PurgeAsync() => await RawJetStream.PurgeStreamAsync(Stream, new StreamPurgeRequest());

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await ((IAsyncDisposable)_host).DisposeAsync();
        await _raw.DisposeAsync();
    }
}
