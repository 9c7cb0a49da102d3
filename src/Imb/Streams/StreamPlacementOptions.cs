namespace Imb;

/// <summary>
/// Where a stream's replicas live (a cluster and server tags), bound from <c>Imb:Streams:&lt;NAME&gt;:Placement</c>;
/// the server refuses the stream, naming why, when no servers fit.
/// </summary>
public sealed class StreamPlacementOptions
{
    /// <summary>Gets or sets the cluster (its <c>cluster { name }</c>) that keeps the stream; none is the one the request reaches.</summary>
    public string? Cluster { get; set; }

    /// <summary>Gets the tags every server keeping a replica must carry (<c>server_tags</c>).</summary>
    public IList<string> Tags { get; } = [];
}
