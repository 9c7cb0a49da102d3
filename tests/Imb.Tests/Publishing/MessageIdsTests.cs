using Imb.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace Imb.Tests.Publishing;

public sealed class MessageIdsTests
{
    [Fact]
    public void New_ManyIds_AreUniqueAndOfUlidShape()
    {
        var ids = new MessageIds(TimeProvider.System);

        var made = Enumerable.Range(0, 10_000).Select(_ => ids.New()).ToList();

        Assert.Equal(made.Count, made.Distinct(StringComparer.Ordinal).Count());
        Assert.All(made, id => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", id));
    }

    [Fact]
    public void New_LaterMillisecond_SortsAfter()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var ids = new MessageIds(time);
        var earlier = ids.New();

        time.Advance(TimeSpan.FromMilliseconds(1));
        var later = ids.New();

        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
    }

    [Fact]
    public void NewValue_FormatsAndParsesBackToTheSameValue()
    {
        var ids = new MessageIds(TimeProvider.System);
        var value = ids.NewValue();

        var text = MessageIds.Format(value);

        Assert.Equal(26, text.Length);
        Assert.True(MessageIds.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
        Assert.False(MessageIds.TryParse("not-an-id", out _));
        Assert.False(MessageIds.TryParse(new string('Z', 26), out _)); // above 128 bits
    }

    [Fact]
    public void NewValueAfter_ClockWentBack_StaysAfterThePreviousInItsMillisecond()
    {
        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var ids = new MessageIds(TimeProvider.System);
        var previous = ids.NewValueAfter(0, start);

        var next = ids.NewValueAfter(previous, start.AddSeconds(-5));

        Assert.True(next > previous);
        Assert.Equal(previous >> 80, next >> 80);
    }

    [Fact]
    public void NewValueAfter_ClockMovedOn_IsTheNewMillisecond()
    {
        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var ids = new MessageIds(TimeProvider.System);
        var previous = ids.NewValueAfter(0, start);

        var next = ids.NewValueAfter(previous, start.AddMilliseconds(3));

        Assert.Equal((UInt128)(ulong)start.AddMilliseconds(3).ToUnixTimeMilliseconds(), next >> 80);
    }
}
