using System.Globalization;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on what a dead letter carries: the same headers, to the byte, in both modes.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task DeadLetter_OfAMessageWithHeadersAndAnExpectation_CarriesExactlyTheseHeaders()
    {
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("letters", s => s.Stream = stream, (_, _, _) => throw new ImbException("unreadable: ü\nsecond line") { Kind = ImbErrorKind.Poison }));
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        var options = new PublishOptions { MessageId = "original-id", ExpectedLastSequence = 0, Headers = { ["Tenant"] = "acme", ["X-Trace"] = "t-1", ["X-Note"] = "héllo wörld", ["X-Lang"] = "日本語 😀" } };

        var stored = await host.Get<IMessageBus>().PublishAsync(subject + ".in", "body"u8.ToArray(), options, Ct);

        var letter = await recorder.WaitForDeadLetteredAsync(m => m.Headers["Imb-Dlq-Subject"] == subject + ".in", Waiter.Patience, Ct);
        var sequence = stored.Sequence.ToString(CultureInfo.InvariantCulture);
        var expected = new Dictionary<string, string>
        {
            ["Tenant"] = "acme",
            ["X-Trace"] = "t-1",
            ["X-Note"] = "héllo wörld",
            ["X-Lang"] = "日本語 😀",
            ["Imb-Dlq-Stream"] = stored.Stream,
            ["Imb-Dlq-Sequence"] = sequence,
            ["Imb-Dlq-Subject"] = subject + ".in",
            ["Imb-Dlq-Consumer"] = "letters",
            ["Imb-Dlq-Deliveries"] = "1",
            ["Imb-Dlq-Reason"] = "Poison: unreadable: ü second line",
            ["Nats-Msg-Id"] = $"dlq:{stored.Stream}:letters:{sequence}",
        };
        Assert.Equal(expected.OrderBy(h => h.Key, StringComparer.Ordinal), letter.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal("body"u8.ToArray(), letter.Data.ToArray());
    }
}
