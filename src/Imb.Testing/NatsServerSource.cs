namespace Imb.Testing;

/// <summary>Where a <see cref="NatsServerFixture"/> gets its server.</summary>
public enum NatsServerSource
{
    /// <summary>A nats-server child process on a free loopback port with a temporary store (the default).</summary>
    Process,

    /// <summary>The server named by the <c>IMB_TEST_NATS_URL</c> environment variable.</summary>
    External,

    /// <summary>A NATS container started with Testcontainers (<c>IMB_TEST_NATS=container</c>); needs a Docker engine.</summary>
    Container,
}
