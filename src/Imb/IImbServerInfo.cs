namespace Imb;

/// <summary>What Imb knows of the NATS server it is connected to.</summary>
public interface IImbServerInfo
{
    /// <summary>Gets a value indicating whether the connection is open now.</summary>
    bool IsConnected { get; }

    /// <summary>Gets the server's version, read from its INFO when the connection opened.</summary>
    Version ServerVersion { get; }

    /// <summary>Gets the server's name.</summary>
    string ServerName { get; }

    /// <summary>Gets the servers Imb connects to, without credentials.</summary>
    string Servers { get; }
}
