using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Imb.IntegrationTests;

/// <summary>A real generic host with Imb added, whose log records the test can read.</summary>
internal sealed class ImbTestHost : IAsyncDisposable
{
    private ImbTestHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public FakeLogCollector Logs => Host.Services.GetFakeLogCollector();

    public static ImbTestHost Create(Action<ImbOptions> configure, Action<IImbBuilder>? imb = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
        var imbBuilder = builder.Services.AddImb(configure);
        imb?.Invoke(imbBuilder);
        return new ImbTestHost(builder.Build());
    }

    /// <summary>Creates a host on external servers (a test's own node, proxy or cluster) with only the streams the test declares.</summary>
    public static ImbTestHost CreateExternal(IEnumerable<string> servers, Action<ImbOptions>? configure = null, Action<IImbBuilder>? imb = null) => Create(
        o =>
        {
            o.Mode = ImbMode.External;
            foreach (var server in servers)
            {
                o.Servers.Add(server);
            }

            o.DefaultTopology = false;
            configure?.Invoke(o);
        },
        imb);

    /// <summary>Creates a host on an embedded server with its own store directory under <paramref name="directory"/>.</summary>
    public static ImbTestHost CreateEmbedded(string directory, Action<ImbOptions>? configure = null, Action<IImbBuilder>? imb = null) => Create(
        o =>
        {
            o.Embedded.StoreDirectory = directory;
            configure?.Invoke(o);
        },
        imb);

    public Task StartAsync() => Host.StartAsync(TestContext.Current.CancellationToken);

    public Task StopAsync() => Host.StopAsync(TestContext.Current.CancellationToken);

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public IReadOnlyList<FakeLogRecord> LogsWithEventId(int eventId) =>
        Logs.GetSnapshot().Where(r => r.Id.Id == eventId).ToList();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        // Imb's singletons are IAsyncDisposable: the container must be disposed asynchronously.
        await ((IAsyncDisposable)Host).DisposeAsync();
    }
}
