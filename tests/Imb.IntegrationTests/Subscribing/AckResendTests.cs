using System.Collections.Concurrent;
using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>
/// An ack is a plain publish: one written into a connection that then fails never reaches the server, and its message
/// would come back after the ack wait to be handled twice. Imb sends again, on the next connection, every ack the
/// server was not seen to read.
/// </summary>
public sealed class AckResendTests(NatsServerFixture nats)
{
    // Far longer than the test waits: a message settled in time was settled by its ack, not by a redelivery.
    private static readonly TimeSpan AckWait = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AckLostWithItsConnection_SentAgainOnTheNextOne_MessageSettledWithoutRedelivery()
    {
        await using var server = await NatsNode.StartAsync("ack-resend", Path.Combine(nats.Directory, nats.NewName("ack-resend")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        var handled = new ConcurrentDictionary<string, int>();
        await using var scenario = await SubscriptionScenario.StartAsync(
            proxy.Url,
            "ACKRESEND",
            (imb, stream, _) => imb.AddSubscription("acks", s => (s.Stream, s.AckWait) = (stream, AckWait), (message, _, _) =>
            {
                handled.AddOrUpdate(Encoding.UTF8.GetString(message.Data.Span), 1, (_, count) => count + 1);
                return ValueTask.CompletedTask;
            }));
        await using var direct = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var js = new NatsJSContext(direct);

        await js.PublishAsync("ackresend.one", "first"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(async _ => handled.ContainsKey("first") && (await scenario.ConsumerInfoAsync("acks")).NumAckPending == 0, Waiter.Patience, "the first message to be acked", Ct);

        // From here the server hears nothing from the host, while it still delivers: the second message's ack is
        // written into a connection that is then reset.
        proxy.DiscardFromClients = true;
        await js.PublishAsync("ackresend.two", "second"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => handled.ContainsKey("second") && proxy.DiscardedBytes > 0, Waiter.Patience, "the second message to be handled and its ack written", Ct);
        proxy.ResetConnections();
        proxy.DiscardFromClients = false;

        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("acks")).NumAckPending == 0, Waiter.Patience, "the second message's ack to reach the server", Ct);
        var info = await scenario.ConsumerInfoAsync("acks");
        Assert.Equal(0, info.NumRedelivered);
        Assert.Equal(1, handled["second"]);
        Assert.True(proxy.Resets > 0);
    }
}
