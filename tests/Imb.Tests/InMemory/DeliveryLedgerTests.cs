using Imb.InMemory;

namespace Imb.Tests.InMemory;

public sealed class DeliveryLedgerTests
{
    [Fact]
    public void Settle_InOrder_LeavesNothingOutstanding()
    {
        var ledger = new DeliveryLedger(0);
        for (ulong sequence = 1; sequence <= 5; sequence++)
        {
            ledger.Delivered(sequence);
        }

        for (ulong sequence = 1; sequence <= 5; sequence++)
        {
            ledger.Settle(sequence);
        }

        Assert.Equal(0UL, ledger.Outstanding);
        Assert.False(ledger.IsOutstanding(3));
    }

    [Fact]
    public void Settle_OutOfOrder_KeepsTheUnsettledOneOutstanding()
    {
        var ledger = new DeliveryLedger(0);
        for (ulong sequence = 1; sequence <= 4; sequence++)
        {
            ledger.Delivered(sequence);
        }

        ledger.Settle(2);
        ledger.Settle(4);
        ledger.Settle(1);

        Assert.Equal(1UL, ledger.Outstanding);
        Assert.True(ledger.IsOutstanding(3));
        Assert.False(ledger.IsOutstanding(2));

        ledger.Settle(3);
        Assert.Equal(0UL, ledger.Outstanding);
    }

    [Fact]
    public void Delivered_AfterAGap_SkippedMessagesAreNotOutstanding()
    {
        var ledger = new DeliveryLedger(10);
        ledger.Delivered(11);
        ledger.Delivered(15);
        ledger.SkipThrough(17);

        Assert.Equal(2UL, ledger.Outstanding);
        Assert.False(ledger.IsOutstanding(13));
        Assert.False(ledger.IsOutstanding(10));
        Assert.True(ledger.IsOutstanding(15));
    }

    [Fact]
    public void Redelivered_CountsFromTwoAndForgetsOnceSettled()
    {
        var ledger = new DeliveryLedger(0);
        ledger.Delivered(1);

        Assert.Equal(2, ledger.Redelivered(1));
        Assert.Equal(3, ledger.Redelivered(1));
        ledger.Settle(1);

        Assert.Equal(0UL, ledger.Outstanding);
        Assert.False(ledger.IsOutstanding(1));
    }

    [Fact]
    public void Settle_TwiceOrUnknown_ChangesNothing()
    {
        var ledger = new DeliveryLedger(0);
        ledger.Delivered(1);
        ledger.Delivered(2);

        ledger.Settle(2);
        ledger.Settle(2);
        ledger.Settle(9);

        Assert.Equal(1UL, ledger.Outstanding);
        Assert.True(ledger.IsOutstanding(1));
    }
}
