namespace Imb.IntegrationTests.Cluster;

/// <summary>
/// The tests that start three-node clusters run one class at a time and alone: several clusters electing at once on two
/// cores time their elections out, and their recovery times would measure the machine, not Imb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTests
{
    public const string Name = "Three-node clusters";
}
