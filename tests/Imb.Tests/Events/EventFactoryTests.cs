using Imb.Events;
using Microsoft.Extensions.Time.Testing;

namespace Imb.Tests.Events;

public sealed class EventFactoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Create_SetsANewTimeSortableIdTheClocksTimeAndTheVersion()
    {
        var factory = new EventFactory(_time);

        var first = factory.Create("api-gateway", "QmA", new NodeUp("node-1"), "trace-1");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var second = factory.Create("api-gateway", "QmA", new NodeUp("node-1"));

        Assert.Equal((EventTypes.NodeUp, "1.0", _time.GetUtcNow().AddMilliseconds(-5), "trace-1"), (first.Type, first.Version, first.Timestamp, first.TraceId));
        Assert.Equal(26, first.Id.Length);
        Assert.True(string.CompareOrdinal(first.Id, second.Id) < 0, "ids must sort by time");
    }

    [Fact]
    public void Create_NoTraceIdGiven_TakesTheCurrentActivitysAndAGivenOneWins()
    {
        var factory = new EventFactory(_time);
        using var request = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        var current = factory.Create("api-gateway", "QmA", new NodeUp("node-1"));
        var given = factory.Create("api-gateway", "QmA", new NodeUp("node-1"), "trace-1");
        request.Stop();
        var none = factory.Create("api-gateway", "QmA", new NodeUp("node-1"));

        Assert.Equal((request.TraceId.ToHexString(), "trace-1", null), (current.TraceId, given.TraceId, none.TraceId));
    }

    [Fact]
    public void React_SameCauseTwice_GivesTheSameIdKeepingSubjectAndTrace()
    {
        var factory = new EventFactory(_time);
        var cause = factory.Create("api-gateway", "QmA", new PinFailed("QmA", "x"), "trace-9");

        var once = factory.React(cause, "scheduler", new PlanFailed("QmA", "x"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = factory.React(cause, "scheduler", new PlanFailed("QmA", "x"));
        var otherType = factory.React(cause, "scheduler", new PinCompleted("QmA", []));

        Assert.Equal(once.Id, again.Id);
        Assert.NotEqual(once.Id, otherType.Id);
        Assert.NotEqual(cause.Id, once.Id);
        Assert.Equal(cause.Id[..10], once.Id[..10]); // sorts with its cause
        Assert.Equal(("QmA", "trace-9"), (once.Subject, once.TraceId));
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", true)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true)]
    [InlineData("trace-123", false)]
    [InlineData("00000000000000000000000000000000", false)]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736", false)]
    public void TraceParent_OnlyForW3CTraceIds(string traceId, bool carried)
    {
        var header = TraceParent.From(traceId, "01JDZ8KZ00AAAAAAAAAAAAAAAA");

        Assert.Equal(carried, header is not null);
        if (header is not null)
        {
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", header);
            Assert.Contains(traceId.Length == 32 ? traceId : traceId[3..35], header, StringComparison.Ordinal);
        }
    }
}
