using Imb.Streams;
using NATS.Client.JetStream.Models;

namespace Imb.Tests.Streams;

public sealed class StreamConfigMapperTests
{
    public static TheoryData<Action<StreamConfig>, string, bool> Changes => new()
    {
        { c => c.Subjects = ["other.>"], "Subjects", true },
        { c => c.Storage = StreamConfigStorage.Memory, "Storage", false },
        { c => c.Retention = StreamConfigRetention.Workqueue, "Retention", false },
        { c => c.MaxAge = TimeSpan.FromHours(2), "MaxAge", true },
        { c => c.MaxBytes = 10, "MaxBytes", true },
        { c => c.MaxMsgs = 10, "MaxMessages", true },
        { c => c.MaxMsgSize = 10, "MaxMessageSize", true },
        { c => c.MaxMsgsPerSubject = 10, "MaxMessagesPerSubject", true },
        { c => c.Discard = StreamConfigDiscard.New, "Discard", true },
        { c => c.NumReplicas = 3, "Replicas", true },
        { c => c.DuplicateWindow = TimeSpan.FromSeconds(5), "DuplicateWindow", true },
        { c => c.Description = "changed", "Description", true },
        { c => c.Metadata = new Dictionary<string, string> { ["team"] = "b" }, "Metadata", true },
        { c => c.SubjectTransform = new SubjectTransform { Src = "orders.*", Dest = "orders.x.$1" }, "SubjectTransform", true },
        { c => c.SubjectTransform = null, "SubjectTransform", true },
        { c => c.Placement = new Placement { Cluster = "west" }, "Placement", true },
        { c => c.Placement = new Placement { Tags = ["az:1"] }, "Placement", true },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Compare_OneFieldChanged_ReportsThatFieldAndWhetherItCanChangeInPlace(Action<StreamConfig> change, string field, bool mutable)
    {
        var actual = Declared();
        change(actual);

        var difference = Assert.Single(StreamConfigMapper.Compare(Declared(), actual));

        Assert.Equal((field, mutable), (difference.Field, difference.Mutable));
        Assert.NotEqual(difference.Desired, difference.Actual);
    }

    [Fact]
    public void Compare_SameDeclarationAsTheServerReadsItBack_NoDifference()
    {
        var actual = Declared();
        actual.Subjects = [.. actual.Subjects!.Reverse()];
        actual.Metadata = new Dictionary<string, string>(actual.Metadata!) { ["_nats.req.level"] = "0" };
        actual.Description = null;
        actual.Placement = new Placement { Tags = ["SSD", "AZ:1"] };
        var desired = Declared();
        desired.Description = string.Empty;

        Assert.Empty(StreamConfigMapper.Compare(desired, actual));
    }

    private static StreamConfig Declared() => StreamConfigMapper.ToConfig("ORDERS", new StreamOptions
    {
        Subjects = { "orders.>", "refunds.>" },
        MaxAge = TimeSpan.FromHours(1),
        Metadata = { ["team"] = "a" },
        Description = "orders",
        SubjectTransform = new SubjectTransformOptions { Source = "orders.*.*", Destination = "orders.$2.$1" },
        Placement = new StreamPlacementOptions { Tags = { "az:1", "ssd" } },
    });
}
