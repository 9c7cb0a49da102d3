namespace Imb.Events;

/// <summary>A place content is planned for or pinned at.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="ZoneId">The node's zone.</param>
public sealed record Placement(string NodeId, string ZoneId);
