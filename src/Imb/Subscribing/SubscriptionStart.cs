namespace Imb;

/// <summary>Where a new durable consumer starts in its stream.</summary>
public enum SubscriptionStart
{
    /// <summary>At the first message the stream holds.</summary>
    All,

    /// <summary>At messages published after the consumer is created.</summary>
    New,

    /// <summary>At the last message the stream holds.</summary>
    Last,

    /// <summary>At the last message of each subject.</summary>
    LastPerSubject,
}
