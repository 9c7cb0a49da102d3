using System.Text.Json;
using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>
/// A dead-lettered message is terminated with the letter's reason where the server takes one (2.10.4+): operators see
/// it in the MSG_TERMINATED advisory. Before that, a plain +TERM (2.9 redelivers a message terminated with a reason).
/// </summary>
public sealed class TerminateReasonTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeadLetter_Terminates_WithTheReasonWhereTheServerTakesOneAndNeverRedelivers()
    {
        var stream = nats.NewName("TERM");
        var deliveries = 0;
        await using var raw = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        await using var advisories = await raw.SubscribeCoreAsync<byte[]>($"$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.{stream}.poisoned", cancellationToken: Ct);
        await raw.PingAsync(Ct);
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, _) =>
            imb.AddSubscription("poisoned", s => s.Stream = name, (_, _, _) =>
            {
                Interlocked.Increment(ref deliveries);
                throw new ImbException("cannot be read") { Kind = ImbErrorKind.Poison };
            }));

        await scenario.Bus.PublishAsync($"{scenario.Subject}.in", "x"u8.ToArray(), cancellationToken: Ct);

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(Waiter.Patience);
        var advisory = await advisories.Msgs.ReadAsync(wait.Token);
        using var json = JsonDocument.Parse(advisory.Data);
        var takesReason = ServerFeatureGate.Supports(scenario.Host.Get<ImbConnection>().ServerVersion, ServerFeature.TerminateWithReason);
        var reason = json.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : null;
        Assert.Equal(takesReason ? "Poison: cannot be read" : null, string.IsNullOrEmpty(reason) ? null : reason);
        await Waiter.UntilAsync(async _ => (await scenario.ConsumerInfoAsync("poisoned")) is { NumAckPending: 0, NumPending: 0 }, Waiter.Patience, "the message to be settled", Ct);
        Assert.Equal(1, Volatile.Read(ref deliveries));
    }
}
