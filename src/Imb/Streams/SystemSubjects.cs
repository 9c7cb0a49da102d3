using System.Globalization;

namespace Imb;

/// <summary>The system subject catalogue under <c>system.raftv1</c>, captured by the root <c>SYSTEM</c> stream.</summary>
public static class SystemSubjects
{
    /// <summary>The root of the system subjects; owner: the system itself.</summary>
    public const string Root = "system.raftv1";

    /// <summary>Connection lifecycle of nodes and clients; owner: the cluster adapter.</summary>
    public const string Connection = Root + ".connection";

    /// <summary>Host inventory and host state; owner: the cluster adapter.</summary>
    public const string Host = Root + ".host";

    /// <summary>Replicated operation log entries; owner: the raft leader.</summary>
    public const string Log = Root + ".log";

    /// <summary>Node membership (joins, leaves, roles); owner: the orchestrator.</summary>
    public const string Node = Root + ".node";

    /// <summary>Raft consensus traffic (votes, terms, heartbeats); owner: the raft group.</summary>
    public const string Raft = Root + ".raft";

    /// <summary>State snapshots for catch-up; owner: the raft leader.</summary>
    public const string Snapshot = Root + ".snapshot";

    /// <summary>Gets every fixed subject with its owner and purpose.</summary>
    public static IReadOnlyList<SubjectDescriptor> All { get; } =
    [
        new(Root, "system", "the root of all system subjects"),
        new(Connection, "cluster adapter", "connection lifecycle of nodes and clients"),
        new(Host, "cluster adapter", "host inventory and host state"),
        new(Log, "raft leader", "replicated operation log entries"),
        new(Node, "orchestrator", "node membership: joins, leaves, roles"),
        new(Raft, "raft group", "consensus traffic: votes, terms, heartbeats"),
        new(Snapshot, "raft leader", "state snapshots for catch-up"),
    ];

    /// <summary>Builds the subject of one shard, <c>system.raftv1.&lt;shard&gt;</c>; owner: that shard's raft group.</summary>
    /// <param name="shard">The shard number, zero or more.</param>
    /// <returns>The shard's subject.</returns>
    public static string Shard(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return string.Create(CultureInfo.InvariantCulture, $"{Root}.{shard}");
    }
}
