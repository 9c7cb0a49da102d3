namespace Imb.Tests.Events;

/// <summary>Bodies no handler may be called with, each with the words its dead-letter reason must contain.</summary>
public static class MalformedEvents
{
    private const string Valid =
        """{"id":"e1","type":"pin.requested","source":"s","subject":"QmX","data":{"cid":"QmX","size":1,"policies":[],"constraints":{},"priority":1,"requested_by":"u"},"trace_id":null,"timestamp":"2026-11-22T10:00:00.000Z","version":"1.0"}""";

    public static TheoryData<string, string> Cases => new()
    {
        { "{not json", "malformed JSON" },
        { "[1,2]", "not an event object" },
        { Valid.Replace("\"id\":\"e1\",", string.Empty, StringComparison.Ordinal), "required member 'id'" },
        { Valid.Replace("\"cid\":\"QmX\",", string.Empty, StringComparison.Ordinal), "does not fit PinRequested" },
        { Valid.Replace("\"size\":1", "\"size\":\"big\"", StringComparison.Ordinal), "does not fit PinRequested" },
        { Valid.Replace("\"requested_by\":\"u\"", "\"requested_by\":null", StringComparison.Ordinal), "does not fit PinRequested" },
        { Valid.Replace("pin.requested", "pin.teleported", StringComparison.Ordinal), "unknown event type 'pin.teleported'" },
        { Valid.Replace("\"type\":\"pin.requested\"", "\"type\":\"pin.failed\"", StringComparison.Ordinal), "arrived on subject gdc.events.pin.requested" },
        { Valid.Replace("\"version\":\"1.0\"", "\"version\":\"2.0\"", StringComparison.Ordinal), "version 2.0 is newer" },
        { Valid.Replace("\"timestamp\":\"2026-11-22T10:00:00.000Z\"", "\"timestamp\":\"yesterday\"", StringComparison.Ordinal), "timestamp 'yesterday'" },
    };
}
