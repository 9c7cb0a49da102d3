namespace Imb;

/// <summary>Where Imb's NATS server comes from.</summary>
public enum ImbMode
{
    /// <summary>Imb starts and supervises its own nats-server child process, bound to loopback.</summary>
    Embedded,

    /// <summary>Imb connects to the servers listed in <see cref="ImbOptions.Servers"/>.</summary>
    External,

    /// <summary>No server: an in-process bus with the same contract, for tests.</summary>
    InMemory,
}
