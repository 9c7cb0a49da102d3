using Imb.Testing;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract suite against a real nats-server (the shared test server, default topology declared).</summary>
public sealed class NatsContractTests(NatsServerFixture nats) : BusContractTests
{
    protected override bool BrokerOutlivesHost => true;

    protected override void UseMode(ImbOptions options)
    {
        options.Mode = ImbMode.External;
        options.Servers.Add(nats.Url);
    }
}
