using System.Text.Json.Serialization;

namespace Imb.Events;

/// <summary>The one generated JSON context of the catalogue: snake_case names, required constructor parameters enforced, nulls refused where not nullable.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PinRequested))]
[JsonSerializable(typeof(PinCompleted))]
[JsonSerializable(typeof(PinFailed))]
[JsonSerializable(typeof(PlanReady))]
[JsonSerializable(typeof(PlanFailed))]
[JsonSerializable(typeof(ExecProgress))]
[JsonSerializable(typeof(ExecCompleted))]
[JsonSerializable(typeof(ExecFailed))]
[JsonSerializable(typeof(HealthChanged))]
[JsonSerializable(typeof(NodeDown))]
[JsonSerializable(typeof(NodeUp))]
[JsonSerializable(typeof(ZoneDown))]
[JsonSerializable(typeof(ZoneUp))]
[JsonSerializable(typeof(PolicyUpdated))]
[JsonSerializable(typeof(PolicyDeleted))]
[JsonSerializable(typeof(AlertTriggered))]
[JsonSerializable(typeof(AlertResolved))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
