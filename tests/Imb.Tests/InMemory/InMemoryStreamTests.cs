using Imb.InMemory;
using Imb.Publishing;
using Microsoft.Extensions.Time.Testing;

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
    public void Append_StreamWithSubjectTransform_StoresTheRewrittenSubjectAndDeduplicatesAsBefore()
    {
        var options = new StreamOptions { Subjects = { "t.>" }, SubjectTransform = new() { Source = "t.in.*.*", Destination = "t.by.$2.$1" } };
        var stream = new InMemoryStream("S", options, new Imb.Publishing.MessageIds(TimeProvider.System), TimeProvider.System);

        stream.Append("t.in.eu.shipped", new byte[1], null, "one", null, out _);
        var again = stream.Append("t.in.eu.shipped", new byte[1], null, "one", null, out _);
        stream.Append("t.other", new byte[1], null, "two", null, out _);

        Assert.True(again.Duplicate);
        Assert.Equal("t.by.shipped.eu", stream.Get(1)!.Value.Subject);
        Assert.Equal("t.other", stream.Get(2)!.Value.Subject);
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

    [Fact]
    public void Append_GeneratedIdRepublishedAmongCallerIds_IsADuplicateOfTheFirst()
    {
        var stream = NewStream(new StreamOptions { Subjects = { "s.>" } }, TimeProvider.System);
        var generated = new List<UInt128>();
        for (var i = 0; i < 50; i++)
        {
            stream.Append("s.x", new byte[1], null, null, null, out var id);
            generated.Add(id);
            stream.Append("s.x", new byte[1], null, $"caller-{i}", null, out _);
        }

        var again = stream.Append("s.x", new byte[1], null, MessageIds.Format(generated[17]), null, out _);

        Assert.Equal(new PublishAck("S", 35, true), again);
        Assert.Equal(100UL, stream.LastSequence);
    }

    [Fact]
    public void Append_GeneratedIdOfADiscardedMessage_IsADuplicateWithinTheWindowOnly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var options = new StreamOptions { Subjects = { "s.>" }, MaxMessages = 2, Discard = StreamDiscard.Old, DuplicateWindow = TimeSpan.FromMinutes(2) };
        var stream = NewStream(options, time);
        stream.Append("s.x", new byte[1], null, null, null, out var first);
        stream.Append("s.x", new byte[1], null, null, null, out _);
        stream.Append("s.x", new byte[1], null, null, null, out _);
        Assert.Null(stream.Get(1));

        var within = stream.Append("s.x", new byte[1], null, MessageIds.Format(first), null, out _);
        time.Advance(TimeSpan.FromMinutes(3));
        var after = stream.Append("s.x", new byte[1], null, MessageIds.Format(first), null, out _);

        Assert.Equal(new PublishAck("S", 1, true), within);
        Assert.Equal(new PublishAck("S", 4, false), after);
    }

    [Fact]
    public void Append_ManyDiscardedGeneratedIds_EachADuplicateUntilItsOwnTimeLeavesTheWindow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var options = new StreamOptions { Subjects = { "s.>" }, MaxMessages = 10, Discard = StreamDiscard.Old, DuplicateWindow = TimeSpan.FromMinutes(2) };
        var stream = NewStream(options, time);
        var ids = new List<UInt128>();
        for (var i = 1; i <= 100; i++)
        {
            stream.Append("s.x", new byte[1], null, null, null, out var id);
            ids.Add(id);
            if (i == 50)
            {
                time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        // Messages 1-90 are discarded; 1-50 were stored 2.5 minutes ago by then, 51-90 1.5 minutes ago.
        time.Advance(TimeSpan.FromMinutes(1.5));
        var expired = stream.Append("s.x", new byte[1], null, MessageIds.Format(ids[9]), null, out _);
        var withinFirst = stream.Append("s.x", new byte[1], null, MessageIds.Format(ids[50]), null, out _);
        var withinLast = stream.Append("s.x", new byte[1], null, MessageIds.Format(ids[89]), null, out _);

        Assert.Equal(new PublishAck("S", 101, false), expired);
        Assert.Equal(new PublishAck("S", 51, true), withinFirst);
        Assert.Equal(new PublishAck("S", 90, true), withinLast);
    }

    [Fact]
    public void Append_ExpectedLastSubjectSequence_FollowsEachSubjectAcrossSwitches()
    {
        var stream = NewStream(new StreamOptions { Subjects = { "s.>" } }, TimeProvider.System);
        stream.Append("s.a", new byte[1], null, null, null, out _);
        stream.Append("s.b", new byte[1], null, null, null, out _);
        stream.Append(new string("s.a".AsSpan()), new byte[1], null, null, null, out _);
        stream.Append("s.b", new byte[1], null, null, null, out _);

        var onA = stream.Append("s.a", new byte[1], null, null, new PublishOptions { ExpectedLastSubjectSequence = 3 }, out _);
        var wrong = Assert.Throws<ImbException>(() => stream.Append("s.b", new byte[1], null, null, new PublishOptions { ExpectedLastSubjectSequence = 2 }, out _));

        Assert.Equal(5UL, onA.Sequence);
        Assert.Equal(10071, wrong.ServerErrorCode);
        Assert.Contains("wrong last sequence: 4", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AcrossASegmentBoundary_ReturnsTheMessagesInOrder()
    {
        var stream = NewStream(new StreamOptions { Subjects = { "s.>" } }, TimeProvider.System);
        for (var i = 1; i <= 8_300; i++)
        {
            stream.Append("s.x", BitConverter.GetBytes(i), null, null, null, out _);
        }

        var (first, second, _) = stream.Read(8_100, 200);

        var sequences = first.Concat(second).Select(m => m.Sequence).ToList();
        Assert.Equal(Enumerable.Range(8_100, 200).Select(i => (ulong)i), sequences);
        Assert.Equal(8_299, BitConverter.ToInt32(second[^1].Data.Span));
    }

    [Fact]
    public void Append_ManySubjectsHeadersAndLargePayloads_ReadBackAsPublished()
    {
        var options = new StreamOptions { Subjects = { "s.>" }, MaxMessages = 5_000, Discard = StreamDiscard.Old };
        var stream = NewStream(options, TimeProvider.System);
        var headers = new NATS.Client.Core.NatsHeaders { ["k"] = "v" };
        for (var i = 1; i <= 20_000; i++)
        {
            var payload = i % 1_000 == 0 ? new byte[100_000] : BitConverter.GetBytes(i);
            BitConverter.TryWriteBytes(payload, i);
            stream.Append($"s.{i}", payload, i % 3 == 0 ? headers : null, i % 5 == 0 ? $"id-{i}" : null, null, out _);
        }

        for (ulong sequence = 15_001; sequence <= 20_000; sequence++)
        {
            var message = stream.Get(sequence)!.Value;
            var i = (int)sequence;
            Assert.Equal($"s.{i}", message.Subject);
            Assert.Equal(i, BitConverter.ToInt32(message.Data.Span));
            Assert.Equal(i % 1_000 == 0 ? 100_000 : 4, message.Data.Length);
            Assert.Equal(i % 3 == 0, message.Headers is not null);
            Assert.Equal(i % 5 == 0 ? $"id-{i}" : null, message.CallerId);
        }

        Assert.Null(stream.Get(15_000));
    }

    [Fact]
    public void Append_EmptyPayload_ReadsBackEmpty()
    {
        var stream = NewStream(new StreamOptions { Subjects = { "s.>" } }, TimeProvider.System);

        stream.Append("s.x", ReadOnlyMemory<byte>.Empty, null, null, null, out _);

        Assert.Equal(0, stream.Get(1)!.Value.Data.Length);
    }

    private static InMemoryStream NewStream(StreamOptions options, TimeProvider time) => new("S", options, new MessageIds(time), time);
}
