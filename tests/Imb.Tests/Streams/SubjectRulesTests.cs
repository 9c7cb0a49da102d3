using Imb.Streams;

namespace Imb.Tests.Streams;

public sealed class SubjectRulesTests
{
    [Theory]
    [InlineData("orders", null)]
    [InlineData("orders.*.created", null)]
    [InlineData("orders.>", null)]
    [InlineData("", "is empty")]
    [InlineData("orders..created", "empty token")]
    [InlineData(".orders", "empty token")]
    [InlineData("orders.", "empty token")]
    [InlineData("orders created", "whitespace")]
    [InlineData("orders\r\n.x", "whitespace")]
    [InlineData("orders.>.created", "'>' before its last token")]
    [InlineData("orders.cr*ated", "whole token")]
    public void CheckFilter_Table(string subject, string? problem)
    {
        AssertProblem(problem, SubjectRules.CheckFilter(subject));
    }

    [Theory]
    [InlineData("gdc.events.pin.requested", null)]
    [InlineData("orders.*", "wildcard")]
    [InlineData("orders.>", "wildcard")]
    [InlineData("orders\t", "whitespace")]
    public void CheckPublish_Table(string subject, string? problem)
    {
        AssertProblem(problem, SubjectRules.CheckPublish(subject));
    }

    [Fact]
    public void CheckPublish_OverLongSubject_IsRefused()
    {
        AssertProblem("longer than", SubjectRules.CheckPublish(new string('a', SubjectRules.MaxSubjectLength + 1)));
    }

    [Theory]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.b", "a.c", false)]
    [InlineData("a.*", "a.b", true)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("a.>", "a.b.c", true)]
    [InlineData("a.>", "a", false)]
    [InlineData(">", "x.y", true)]
    [InlineData("*.b", "a.*", true)]
    [InlineData("system.>", "gdc.events.>", false)]
    [InlineData("gdc.events.>", "gdc.*.pin", true)]
    public void Overlap_Table(string first, string second, bool overlap)
    {
        Assert.Equal(overlap, SubjectRules.Overlap(first, second));
        Assert.Equal(overlap, SubjectRules.Overlap(second, first));
    }

    [Theory]
    [InlineData("ORDERS", null)]
    [InlineData("gdc_events-2", null)]
    [InlineData("", "empty")]
    [InlineData("ORDERS.V2", "letters, digits")]
    [InlineData("ORD ERS", "letters, digits")]
    [InlineData("ORDERS>", "letters, digits")]
    public void CheckName_Table(string name, string? problem)
    {
        AssertProblem(problem, SubjectRules.CheckName(name));
    }

    [Fact]
    public void SystemSubjects_Catalogue_IsCapturedByTheSystemStream()
    {
        Assert.Equal("system.raftv1.7", SystemSubjects.Shard(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => SystemSubjects.Shard(-1));
        Assert.Equal(7, SystemSubjects.All.Count);
        Assert.All(SystemSubjects.All, s =>
        {
            Assert.Null(SubjectRules.CheckPublish(s.Subject));
            Assert.True(SubjectRules.Matches("system.>", s.Subject));
            Assert.False(string.IsNullOrWhiteSpace(s.Owner));
            Assert.False(string.IsNullOrWhiteSpace(s.Purpose));
        });
    }

    private static void AssertProblem(string? expected, string? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.NotNull(actual);
            Assert.Contains(expected, actual, StringComparison.Ordinal);
        }
    }
}
