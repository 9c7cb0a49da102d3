namespace Imb;

/// <summary>Where a stream keeps its messages.</summary>
public enum StreamStorage
{
    /// <summary>On disk: survives server restarts.</summary>
    File,

    /// <summary>In memory: faster, lost when the server stops.</summary>
    Memory,
}
