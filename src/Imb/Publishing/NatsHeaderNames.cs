namespace Imb.Publishing;

/// <summary>The NATS header names Imb reads or writes, spelled once.</summary>
internal static class NatsHeaderNames
{
    /// <summary>Every header the server gives a meaning to starts with this; callers may not set them directly.</summary>
    public const string ReservedPrefix = "Nats-";

    /// <summary>The message id JetStream de-duplicates on.</summary>
    public const string MessageId = "Nats-Msg-Id";

    /// <summary>Optimistic-concurrency expectations: stream, last sequence, last subject sequence, last message id.</summary>
    public const string ExpectedPrefix = "Nats-Expected-";

    /// <summary>Asks the stream to roll earlier messages up.</summary>
    public const string Rollup = "Nats-Rollup";
}
