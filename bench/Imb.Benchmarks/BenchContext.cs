using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Benchmarks;

/// <summary>One server (or cluster), one stream, and both clients on it: raw NATS.Net and an Imb host.</summary>
internal sealed class BenchContext : IAsyncDisposable
{
    public const string Stream = "BENCH";
    public const string Subject = "bench.msg";

    private readonly NatsConnection _raw;
    private readonly IHost _host;
    private readonly int _replicas;

    private BenchContext(string url, int replicas, NatsConnection raw, IHost host)
    {
        Url = url;
        _replicas = replicas;
        _raw = raw;
        _host = host;
        RawJetStream = new NatsJSContext(raw);
        Bus = host.Services.GetRequiredService<IMessageBus>();
    }

    public string Url { get; }

    /// <summary>Gets the version the server reported, printed with the results: every scenario ran on it.</summary>
    public string ServerVersion => _raw.ServerInfo?.Version ?? "unknown";

    public NatsJSContext RawJetStream { get; }

    public IMessageBus Bus { get; }

    /// <summary>Connects both sides to <paramref name="url"/> (comma-separated on a cluster), streams at <paramref name="replicas"/>.</summary>
    public static async Task<BenchContext> StartAsync(string url, int replicas = 1)
    {
        var raw = new NatsConnection(NatsOpts.Default with { Url = url });
        await raw.ConnectAsync();
        return new BenchContext(url, replicas, raw, await StartHostAsync(url, replicas, _ => { }));
    }

    /// <summary>A raw connection of its own, as each Imb host has: one that just carried a prefill consumed ~2% slower.</summary>
    public async Task<NatsConnection> ConnectRawAsync()
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = Url });
        await connection.ConnectAsync();
        return connection;
    }

    /// <summary>Starts an Imb host on the bench stream, with whatever else <paramref name="configure"/> adds (subscriptions).</summary>
    public Task<IHost> StartHostAsync(Action<IImbBuilder> configure) => StartHostAsync(Url, _replicas, configure);

    private static async Task<IHost> StartHostAsync(string url, int replicas, Action<IImbBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        var imb = builder.Services.AddImb(o =>
        {
            o.Mode = ImbMode.External;
            foreach (var server in url.Split(','))
            {
                o.Servers.Add(server);
            }

            o.DefaultTopology = false;
        }).AddStream(Stream, s => { s.Subjects.Add("bench.>"); s.Replicas = replicas; }).AddStream("BENCH_DLQ", s => { s.Subjects.Add("imb.dlq.>"); s.Replicas = replicas; });
        configure(imb);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task StopHostAsync(IHost host)
    {
        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    public async Task PurgeAsync(string stream = Stream) => await RawJetStream.PurgeStreamAsync(stream, new StreamPurgeRequest());

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync(_host);
        await _raw.DisposeAsync();
    }
}
