using Imb.Events;

namespace Imb.Tests.Events;

/// <summary>One sample event of every type, with fixed ids and times so their JSON can be pinned.</summary>
internal static class EventSamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static IReadOnlyDictionary<string, Event> All { get; } = new EventData[]
    {
        new PinRequested("QmTest123", 1024, ["rf-3"], new Dictionary<string, string> { ["priority"] = "high" }, 1, "user123"),
        new PinCompleted("QmTest123", [new Placement("node-1", "zone-a"), new Placement("node-2", "zone-b")]),
        new PinFailed("QmTest123", "no capacity in zone-a"),
        new PlanReady("QmTest123", [new Placement("node-1", "zone-a")]),
        new PlanFailed("QmTest123", "policy rf-3 needs 3 zones, 2 are up"),
        new ExecProgress("wf-42", "copy", 50),
        new ExecCompleted("wf-42", "pinned on 3 nodes"),
        new ExecFailed("wf-42", "node-2 refused the copy"),
        new HealthChanged("node-2", "node", "healthy", "degraded"),
        new NodeDown("node-2", "heartbeat lost"),
        new NodeUp("node-2"),
        new ZoneDown("zone-b", "network partition"),
        new ZoneUp("zone-b"),
        new PolicyUpdated("rf-3", new Dictionary<string, string> { ["replicas"] = "3" }, "admin"),
        new PolicyDeleted("rf-3", "admin"),
        new AlertTriggered("alert-7", "critical", "zone-b down", new Dictionary<string, string> { ["zone"] = "zone-b" }),
        new AlertResolved("alert-7", "on-call"),
    }.ToDictionary(
        data => EventCatalog.NameOf(data.GetType()),
        data => new Event("01JDZ8KZ00AAAAAAAAAAAAAAAA", EventCatalog.NameOf(data.GetType()), "api-gateway", "QmTest123", data, "trace-123", At, "1.0"));
}
