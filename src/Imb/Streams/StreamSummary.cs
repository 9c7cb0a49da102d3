namespace Imb;

/// <summary>A stream on the server and its state.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="Subjects">The subjects it captures.</param>
/// <param name="Messages">How many messages it holds.</param>
/// <param name="Bytes">How many bytes it holds.</param>
/// <param name="FirstSequence">The sequence of its oldest message.</param>
/// <param name="LastSequence">The sequence of its newest message.</param>
/// <param name="ConsumerCount">How many consumers read it.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Owned">Whether this service owns it (declared here, with CreateOrUpdate provisioning).</param>
public sealed record StreamSummary(
    string Name,
    IReadOnlyList<string> Subjects,
    long Messages,
    long Bytes,
    ulong FirstSequence,
    ulong LastSequence,
    long ConsumerCount,
    DateTimeOffset Created,
    bool Owned)
{
    /// <summary>Gets the server leading the stream: <see langword="null"/> when it is not replicated in a cluster (or in memory), or has no leader now.</summary>
    public string? Leader { get; init; }

    /// <summary>Gets the stream's followers (the leader not among them); empty when it is not replicated.</summary>
    public IReadOnlyList<StreamReplica> Replicas { get; init; } = [];

    /// <summary>Gets a value indicating whether every follower is current and reachable; <see langword="true"/> when there are none.</summary>
    public bool ReplicasCurrent => Replicas.All(r => r.Current && !r.Offline);
}
