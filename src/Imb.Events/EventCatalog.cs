using System.Text.Json.Serialization.Metadata;

namespace Imb.Events;

/// <summary>Maps each event type name to its payload type and generated JSON contract, and back.</summary>
internal static class EventCatalog
{
    private static readonly EventsJsonContext Json = EventsJsonContext.Default;

    private static readonly Dictionary<string, JsonTypeInfo> ByName = new(StringComparer.Ordinal)
    {
        [EventTypes.PinRequested] = Json.PinRequested,
        [EventTypes.PinCompleted] = Json.PinCompleted,
        [EventTypes.PinFailed] = Json.PinFailed,
        [EventTypes.PlanReady] = Json.PlanReady,
        [EventTypes.PlanFailed] = Json.PlanFailed,
        [EventTypes.ExecProgress] = Json.ExecProgress,
        [EventTypes.ExecCompleted] = Json.ExecCompleted,
        [EventTypes.ExecFailed] = Json.ExecFailed,
        [EventTypes.HealthChanged] = Json.HealthChanged,
        [EventTypes.NodeDown] = Json.NodeDown,
        [EventTypes.NodeUp] = Json.NodeUp,
        [EventTypes.ZoneDown] = Json.ZoneDown,
        [EventTypes.ZoneUp] = Json.ZoneUp,
        [EventTypes.PolicyUpdated] = Json.PolicyUpdated,
        [EventTypes.PolicyDeleted] = Json.PolicyDeleted,
        [EventTypes.AlertTriggered] = Json.AlertTriggered,
        [EventTypes.AlertResolved] = Json.AlertResolved,
    };

    private static readonly Dictionary<Type, string> ByType = ByName.ToDictionary(p => p.Value.Type, p => p.Key);

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryGet(string type, out JsonTypeInfo contract) => ByName.TryGetValue(type, out contract!);

    public static string NameOf(Type dataType) =>
        ByType.TryGetValue(dataType, out var name) ? name : throw new ArgumentException($"{dataType.Name} is not an event payload of the catalogue.", nameof(dataType));
}
