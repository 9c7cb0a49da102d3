using System.Text;
using Imb.Events;

namespace Imb.Tests.Events;

/// <summary>The wire format is a contract with other languages: every type's JSON is pinned in a committed approved file.</summary>
public sealed class WireFormatTests
{
    private const string ArchitectureExample =
        """{"id":"...","type":"pin.requested","source":"api-gateway","subject":"QmTest123","data":{"cid":"QmTest123","size":1024,"policies":["rf-3"],"constraints":{"priority":"high"},"priority":1,"requested_by":"user123"},"trace_id":"trace-123","timestamp":"2026-11-22T10:00:00.000Z","version":"1.0"}""";

    public static TheoryData<string> Types => [.. EventCatalog.Names];

    [Theory]
    [MemberData(nameof(Types))]
    public void Serialize_EveryType_MatchesItsApprovedFile(string type)
    {
        var json = Encoding.UTF8.GetString(EventSerializer.Serialize(EventSamples.All[type]));

        Snapshot.Match($"{type}.json", json);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Deserialize_EveryType_RoundTripsToTheSameBytes(string type)
    {
        var bytes = EventSerializer.Serialize(EventSamples.All[type]);

        var read = EventSerializer.Deserialize(bytes, EventTypes.SubjectOf(type));

        Assert.Equal(EventCatalog.NameOf(read.Data.GetType()), type);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(EventSerializer.Serialize(read)));
    }

    [Fact]
    public void Deserialize_TheArchitectureExample_ReadsTypedDataAndWritesTheSameBytes()
    {
        var read = EventSerializer.Deserialize(Encoding.UTF8.GetBytes(ArchitectureExample));

        var data = Assert.IsType<PinRequested>(read.Data);
        Assert.Equal(("QmTest123", 1024L, "rf-3", "high", "user123"), (data.Cid, data.Size, data.Policies[0], data.Constraints["priority"], data.RequestedBy));
        Assert.Equal(ArchitectureExample, Encoding.UTF8.GetString(EventSerializer.Serialize(read)));
    }

    [Fact]
    public void Deserialize_NewerMinorVersionWithAnAddedField_IsReadWithoutError()
    {
        var json = ArchitectureExample.Replace("\"version\":\"1.0\"", "\"version\":\"1.4\"", StringComparison.Ordinal)
            .Replace("\"requested_by\":\"user123\"", "\"requested_by\":\"user123\",\"deadline\":\"2026-12-01\"", StringComparison.Ordinal);

        var read = EventSerializer.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal("1.4", read.Version);
        Assert.Equal("user123", Assert.IsType<PinRequested>(read.Data).RequestedBy);
    }

    public static TheoryData<string, string> Malformed => MalformedEvents.Cases;

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Deserialize_MalformedInput_IsPoisonWithAReasonThatSaysWhich(string body, string reason)
    {
        var error = Assert.Throws<ImbException>(() => EventSerializer.Deserialize(Encoding.UTF8.GetBytes(body), "gdc.events.pin.requested"));

        Assert.Equal(ImbErrorKind.Poison, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_TypeThatDoesNotNameItsData_IsRefused()
    {
        var wrong = EventSamples.All[EventTypes.PinRequested] with { Type = EventTypes.PinFailed };

        var error = Assert.Throws<ImbException>(() => EventSerializer.Serialize(wrong));

        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Contains("pin.requested", error.Message, StringComparison.Ordinal);
    }
}
