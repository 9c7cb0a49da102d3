using Imb.Subscribing;

namespace Imb.Tests.Subscribing;

public sealed class RetryPolicyTests
{
    private static readonly SubscriptionOptions Options = new() { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(500, 10)]
    public void Delay_DoublesPerDeliveryUpToTheCap(int delivery, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.Delay(Options, delivery, random: 0));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Delay_JitterOnlyAddsAndAtMostTwentyPercent(double random)
    {
        var delay = RetryPolicy.Delay(Options, 2, random);

        Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.4));
    }
}
