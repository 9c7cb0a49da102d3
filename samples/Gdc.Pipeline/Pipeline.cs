namespace Gdc.Pipeline;

/// <summary>What the demo's stages share: their source name and where content goes.</summary>
internal static class Pipeline
{
    public const string Source = "gdc-pipeline";

    private static readonly string[] Nodes = ["node-1@zone-a", "node-2@zone-a", "node-3@zone-b", "node-4@zone-b", "node-5@zone-c"];

    /// <summary>A stable placement: the same content always lands on the same nodes, so a replanned pin changes nothing.</summary>
    public static IReadOnlyList<Imb.Events.Placement> Place(string cid, int replicas)
    {
        var start = (int)((uint)StringComparer.Ordinal.GetHashCode(cid) % Nodes.Length);
        return [.. Enumerable.Range(0, Math.Clamp(replicas, 1, Nodes.Length)).Select(i => Parse(Nodes[(start + i) % Nodes.Length]))];
    }

    /// <summary>The result an executed plan reports: its placements as <c>node@zone</c>, comma-separated.</summary>
    public static string Describe(IEnumerable<Imb.Events.Placement> placements) => string.Join(',', placements.Select(p => $"{p.NodeId}@{p.ZoneId}"));

    public static IReadOnlyList<Imb.Events.Placement> ParseResult(string result) => [.. result.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];

    private static Imb.Events.Placement Parse(string node) => node.Split('@') is [var id, var zone] ? new(id, zone) : new(node, "unknown");
}
