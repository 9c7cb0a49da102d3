using Imb.Subscribing;

namespace Imb.Tests.Subscribing;

public sealed class AckSubjectTests
{
    // 1,700,000,000,123,456,700 ns after the epoch.
    private const long Nanoseconds = 1_700_000_000_123_456_700;

    public static TheoryData<string, int, ulong> Valid => new()
    {
        { $"$JS.ACK.ORDERS.billing.3.42.40.{Nanoseconds}.7", 3, 42 },
        { $"$JS.ACK.hub.ACCHASH.ORDERS.billing.1.9.9.{Nanoseconds}.0.rAnDoM", 1, 9 },
        { $"$JS.ACK.hub.ACCHASH.ORDERS.billing.2.10.11.{Nanoseconds}.0", 2, 10 },
        { $"$JS.ACK.S.c.99999999999.1.1.{Nanoseconds}.0", int.MaxValue, 1 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_OriginalAndDomainForms_ReadDeliveriesSequenceAndTime(string subject, int delivered, ulong sequence)
    {
        Assert.True(AckSubject.TryParse(subject, out var count, out var streamSequence, out var timestamp));

        Assert.Equal((delivered, sequence), (count, streamSequence));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(Nanoseconds / 100), timestamp);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("_INBOX.abc.def")]
    [InlineData("$JS.ACK.ORDERS.billing.3.42.40.1")]
    [InlineData("$JS.ACK.ORDERS.billing.x.42.40.1.0")]
    [InlineData("$JS.ACK.ORDERS.billing.3.-1.40.1.0")]
    [InlineData("$JS.ACK.ORDERS.billing.3.42.40.soon.0")]
    [InlineData("$JS.ACK.a.b.c.d.e.f.g.h.i.j")]
    public void TryParse_NotAnAckSubject_IsFalse(string? subject)
    {
        Assert.False(AckSubject.TryParse(subject, out _, out _, out _));
    }
}
