namespace Imb;

/// <summary>What a stream does when a limit is reached.</summary>
public enum StreamDiscard
{
    /// <summary>Drop the oldest messages to make room.</summary>
    Old,

    /// <summary>Refuse new messages (the publisher gets an error).</summary>
    New,
}
