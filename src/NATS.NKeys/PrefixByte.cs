namespace NATS.NKeys;

/// <summary>The role byte an NKey starts with; it becomes the first letter of the encoded key.</summary>
public enum PrefixByte : byte
{
    /// <summary>An account key ('A').</summary>
    Account = 0,

    /// <summary>A cluster key ('C').</summary>
    Cluster = 2 << 3,

    /// <summary>A server key ('N').</summary>
    Server = 13 << 3,

    /// <summary>An operator key ('O').</summary>
    Operator = 14 << 3,

    /// <summary>A private key ('P').</summary>
    Private = 15 << 3,

    /// <summary>A seed ('S').</summary>
    Seed = 18 << 3,

    /// <summary>A user key ('U').</summary>
    User = 20 << 3,
}
