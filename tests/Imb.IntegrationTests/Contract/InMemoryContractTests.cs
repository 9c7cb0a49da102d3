namespace Imb.IntegrationTests.Contract;

/// <summary>The contract suite against Imb:Mode=InMemory: no server at all.</summary>
public sealed class InMemoryContractTests : BusContractTests
{
    protected override bool BrokerOutlivesHost => false;

    protected override void UseMode(ImbOptions options) => options.Mode = ImbMode.InMemory;
}
