using Imb.Testing;

[assembly: AssemblyFixture(typeof(NatsServerFixture))]
