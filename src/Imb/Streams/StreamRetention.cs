namespace Imb;

/// <summary>When a stream lets go of a message.</summary>
public enum StreamRetention
{
    /// <summary>When a limit (age, bytes, count) is reached.</summary>
    Limits,

    /// <summary>When every consumer has acknowledged it.</summary>
    Interest,

    /// <summary>When one consumer has acknowledged it (a work queue).</summary>
    WorkQueue,
}
