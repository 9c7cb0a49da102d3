using Imb.Subscribing;
using Microsoft.Extensions.Time.Testing;

namespace Imb.Tests.Subscribing;

public sealed class AckLedgerTests
{
    private static readonly ReadOnlyMemory<byte> Ack = "+ACK"u8.ToArray();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Confirm_ForgetsTheSealAndEarlierOnes_KeepsLaterAcks()
    {
        var ledger = new AckLedger(confirmEvery: 100);
        ledger.Record("a", Ack);
        var first = ledger.Seal();
        ledger.Record("b", Ack);
        var second = ledger.Seal();
        ledger.Record("c", Ack);

        ledger.Confirm(second!.Value);

        Assert.True(first < second);
        Assert.Equal(["c"], ledger.TakeUnconfirmed().Select(a => a.ReplyTo));
    }

    [Fact]
    public void TakeUnconfirmed_SealedAndOpen_OldestFirstThenEmpty()
    {
        var ledger = new AckLedger(confirmEvery: 100);
        ledger.Record("a", Ack);
        ledger.Seal();
        ledger.Record("b", "+TERM poison"u8.ToArray());

        var unconfirmed = ledger.TakeUnconfirmed();

        Assert.Equal(["a", "b"], unconfirmed.Select(a => a.ReplyTo));
        Assert.Equal("+TERM poison"u8.ToArray(), unconfirmed[1].Payload.ToArray());
        Assert.Equal(0, ledger.Count);
        Assert.Null(ledger.Seal());
    }

    [Fact]
    public void Seal_NothingRecorded_IsNull()
    {
        var ledger = new AckLedger(confirmEvery: 100);

        Assert.Null(ledger.Seal());
    }

    [Fact]
    public async Task WaitUntilDueAsync_CountReached_ReturnsBeforeThePeriod()
    {
        var time = new FakeTimeProvider();
        var ledger = new AckLedger(confirmEvery: 3);
        var waiting = ledger.WaitUntilDueAsync(TimeSpan.FromSeconds(1), time, Ct);
        ledger.Record("a", Ack);
        ledger.Record("b", Ack);
        Assert.False(waiting.IsCompleted);

        ledger.Record("c", Ack);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(3, ledger.Count);
    }

    [Fact]
    public async Task WaitUntilDueAsync_FewAcks_ReturnsWhenThePeriodHasPassed()
    {
        var time = new FakeTimeProvider();
        var ledger = new AckLedger(confirmEvery: 100);
        ledger.Record("a", Ack);
        var waiting = ledger.WaitUntilDueAsync(TimeSpan.FromSeconds(1), time, Ct);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }
}
