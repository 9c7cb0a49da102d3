using System.Text.Json.Serialization;

namespace Imb.Server;

/// <summary>The JSON nats-server writes to <c>--ports_file_dir</c> once it listens.</summary>
internal sealed record PortsFile(
    [property: JsonPropertyName("nats")] string[]? Nats,
    [property: JsonPropertyName("monitoring")] string[]? Monitoring);

[JsonSerializable(typeof(PortsFile))]
internal sealed partial class PortsFileJsonContext : JsonSerializerContext;
