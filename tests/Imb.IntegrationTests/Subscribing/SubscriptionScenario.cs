using Imb.Connection;
using Imb.Streams;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.JetStream.Models;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>A host with one fresh stream over <c>&lt;prefix&gt;.&gt;</c> and the dead-letter stream IMB_DLQ, on a given server.</summary>
internal sealed class SubscriptionScenario : IAsyncDisposable
{
    private SubscriptionScenario(ImbTestHost host, string stream, string subject)
    {
        Host = host;
        Stream = stream;
        Subject = subject;
    }

    public ImbTestHost Host { get; }

    public string Stream { get; }

    /// <summary>Gets the subject prefix the stream captures (<c>&lt;Subject&gt;.&gt;</c>).</summary>
    public string Subject { get; }


    public IMessageBus Bus => Host.Get<IMessageBus>();

    public INatsJSContext JetStream => Host.Get<ImbConnection>().JetStream;

    public static Task<SubscriptionScenario> StartAsync(
        string url, string stream, Action<IImbBuilder, string, string> subscribe, Action<ImbOptions>? configure = null, Action<StreamOptions>? deadLetters = null) =>
        StartAsync(url, stream, stream.ToLowerInvariant(), subscribe, configure, deadLetters);

    public static async Task<SubscriptionScenario> StartAsync(
        string url, string stream, string subject, Action<IImbBuilder, string, string> subscribe, Action<ImbOptions>? configure = null, Action<StreamOptions>? deadLetters = null)
    {
        var host = ImbTestHost.Create(
            o =>
            {
                o.Mode = ImbMode.External;
                o.Servers.Add(url);
                o.DefaultTopology = false;
                o.ReconnectWait = TimeSpan.FromMilliseconds(100);
                o.Subscribing.ConsumerCheckInterval = TimeSpan.FromMilliseconds(200);
                o.Subscribing.ShutdownTimeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(o);
            },
            imb =>
            {
                imb.AddStream(stream, s => s.Subjects.Add(subject + ".>"));
                // Declared as the default topology declares it, so that every test on the shared server agrees on it.
                imb.AddStream(DefaultTopology.DeadLetters, s =>
                {
                    DefaultTopology.Core[DefaultTopology.DeadLetters](s);
                    deadLetters?.Invoke(s);
                });
                subscribe(imb, stream, subject);
            });
        await host.StartAsync();
        return new SubscriptionScenario(host, stream, subject);
    }

    /// <summary>Reads the dead letters of this scenario's stream, oldest first.</summary>
    public Task<IReadOnlyList<INatsJSMsg<byte[]>>> ReadDeadLettersAsync() =>
        DeadLetterReader.ReadAsync(JetStream, $"imb.dlq.{Stream}.>", TestContext.Current.CancellationToken);

    public async Task<ConsumerInfo> ConsumerInfoAsync(string consumer) =>
        (await JetStream.GetConsumerAsync(Stream, consumer, TestContext.Current.CancellationToken)).Info;

    public async Task<HealthReport> HealthAsync() =>
        await Host.Get<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
