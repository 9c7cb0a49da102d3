using Imb.InMemory;

namespace Imb.Tests.InMemory;

public sealed class InMemoryStreamTests
{
    [Fact]
    public void Append_PastMaxMessagesWithDiscardOld_KeepsTheNewestAcrossSegments()
    {
        var options = new StreamOptions { Subjects = { "s.>" }, MaxMessages = 10_000, Discard = StreamDiscard.Old };
        var stream = new InMemoryStream("S", options, new Imb.Publishing.MessageIds(TimeProvider.System), TimeProvider.System);

        for (var i = 1; i <= 25_000; i++)
        {
            stream.Append("s.x", BitConverter.GetBytes(i), null, $"id-{i}", null, out _);
        }

        Assert.Equal(25_000UL, stream.LastSequence);
        Assert.Null(stream.Get(15_000));
        Assert.Equal(15_001, BitConverter.ToInt32(stream.Get(15_001)!.Value.Data.Span));
        Assert.Equal(25_000, BitConverter.ToInt32(stream.Get(25_000)!.Value.Data.Span));
        Assert.Null(stream.Get(25_001));
    }

    [Fact]
    public void Append_SameCallerIdWithinTheWindow_IsADuplicateOfTheFirst()
    {
        var stream = new InMemoryStream("S", new StreamOptions { Subjects = { "s.>" } }, new Imb.Publishing.MessageIds(TimeProvider.System), TimeProvider.System);

        var first = stream.Append("s.x", new byte[1], null, "same", null, out _);
        var again = stream.Append("s.x", new byte[1], null, "same", null, out _);

        Assert.Equal(new PublishAck("S", 1, false), first);
        Assert.Equal(new PublishAck("S", 1, true), again);
    }
}
