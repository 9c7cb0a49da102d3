using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Imb.Events;

/// <summary>
/// Writes and reads the wire format of docs/wire-format.md exactly: member names and order, snake_case data, millisecond
/// UTC timestamps. Reading refuses, as poison with a reason that says which, anything a handler cannot trust.
/// </summary>
internal static class EventSerializer
{
    public const int SupportedMajorVersion = 1;

    public static byte[] Serialize(Event value)
    {
        if (!EventCatalog.TryGet(value.Type, out var contract) || contract.Type != value.Data.GetType())
        {
            throw new ImbException(
                $"Event {value.Id} has type '{value.Type}' but carries {value.Data.GetType().Name}; the type must name its payload ({EventCatalog.NameOf(value.Data.GetType())}).")
            { Kind = ImbErrorKind.Invalid };
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", value.Id);
            writer.WriteString("type", value.Type);
            writer.WriteString("source", value.Source);
            writer.WriteString("subject", value.Subject);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, value.Data, contract);
            writer.WriteString("trace_id", value.TraceId);
            writer.WriteString("timestamp", value.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("version", value.Version);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an event; <paramref name="natsSubject"/>, when given, must be the subject its type travels on.</summary>
    /// <exception cref="ImbException">Of kind <see cref="ImbErrorKind.Poison"/>, saying what is wrong.</exception>
    public static Event Deserialize(ReadOnlyMemory<byte> body, string? natsSubject = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Poison($"malformed JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Poison($"the body is a JSON {root.ValueKind}, not an event object");
            }

            var version = RequiredString(root, "version");
            var major = version.Split('.')[0];
            if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var majorVersion) || majorVersion < SupportedMajorVersion)
            {
                throw Poison($"version '{version}' is not a version this handler reads ({SupportedMajorVersion}.x)");
            }

            if (majorVersion > SupportedMajorVersion)
            {
                throw Poison($"version {version} is newer than this handler knows ({SupportedMajorVersion}.x); upgrade the handler");
            }

            var type = RequiredString(root, "type");
            if (!EventCatalog.TryGet(type, out var contract))
            {
                throw Poison($"unknown event type '{type}'");
            }

            if (natsSubject is not null && natsSubject != EventTypes.SubjectOf(type))
            {
                throw Poison($"an event of type '{type}' arrived on subject {natsSubject}, not {EventTypes.SubjectOf(type)}");
            }

            var id = RequiredString(root, "id");
            var timestampText = RequiredString(root, "timestamp");
            if (!DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var timestamp))
            {
                throw Poison($"timestamp '{timestampText}' is not an ISO 8601 time");
            }

            if (!root.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Object)
            {
                throw Poison($"member 'data' of {type} event {id} is missing or not an object");
            }

            EventData data;
            try
            {
                data = dataElement.Deserialize(contract) as EventData ?? throw Poison($"member 'data' of {type} event {id} is empty");
            }
            catch (JsonException e)
            {
                throw Poison($"data of {type} event {id} does not fit {contract.Type.Name}: {e.Message}");
            }

            var traceId = root.TryGetProperty("trace_id", out var trace) && trace.ValueKind == JsonValueKind.String ? trace.GetString() : null;
            return new Event(id, type, RequiredString(root, "source"), RequiredString(root, "subject"), data, traceId, timestamp, version);
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Poison($"required member '{name}' is missing, empty or not a string");

    private static ImbException Poison(string reason) => new($"Unreadable event: {reason}.") { Kind = ImbErrorKind.Poison };
}
