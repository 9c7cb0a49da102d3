using Imb.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Imb.Tests.Diagnostics;

public sealed class RateWindowTests
{
    [Fact]
    public void PerSecond_ThreeASecondForTenSeconds_IsThreeOverThoseTenSeconds()
    {
        var time = new FakeTimeProvider();
        var rate = new RateWindow(time);
        for (var second = 0; second < 10; second++)
        {
            rate.Add();
            rate.Add();
            rate.Add();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, rate.PerSecond(), precision: 6);
    }

    [Fact]
    public void PerSecond_AMinuteAfterTheLastAdd_IsZero()
    {
        var time = new FakeTimeProvider();
        var rate = new RateWindow(time);
        rate.Add();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1.0 / 59, rate.PerSecond(), precision: 6);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, rate.PerSecond());
    }

    [Fact]
    public void PerSecond_ABucketReusedAMinuteLater_CountsOnlyTheNewSecond()
    {
        var time = new FakeTimeProvider();
        var rate = new RateWindow(time);
        rate.Add();
        time.Advance(TimeSpan.FromSeconds(60));

        rate.Add();

        Assert.Equal(1.0 / 60, rate.PerSecond(), precision: 6);
    }
}
