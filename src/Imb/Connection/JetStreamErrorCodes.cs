namespace Imb.Connection;

/// <summary>The JetStream API error codes (<c>err_code</c>) Imb reacts to, named once; the in-memory mode answers with the same.</summary>
internal static class JetStreamErrorCodes
{
    public const int ConsumerNotFound = 10014;
    public const int StreamNameInUse = 10058;

    /// <summary>"JetStream system temporarily unavailable" (503): the cluster or the stream's group has no leader for now.</summary>
    public const int Unavailable = 10008;

    /// <summary>No servers fit the stream's replicas and placement (cluster, tags).</summary>
    public const int NoSuitablePeers = 10005;
    public const int StreamNotFound = 10059;

    /// <summary>Nats-Expected-Stream named another stream.</summary>
    public const int WrongExpectedStream = 10060;

    /// <summary>Nats-Expected-Last-Msg-Id did not match.</summary>
    public const int WrongLastMessageId = 10070;

    /// <summary>Nats-Expected-Last-Sequence or Nats-Expected-Last-Subject-Sequence did not match.</summary>
    public const int WrongLastSequence = 10071;

    /// <summary>The stream is at a limit and refuses new messages (discard new).</summary>
    public const int StreamFull = 10077;

    /// <summary>A message with the same id is still being stored (a clustered stream's proposal in flight): not a refusal; ask again.</summary>
    public const int DuplicateInProcess = 10158;

    /// <summary>The header block is over 64 KiB.</summary>
    public const int HeadersTooLarge = 10097;

    /// <summary>The stream does not allow fast-ingest batches (allow_batched is off).</summary>
    public const int FastBatchDisabled = 10205;

    /// <summary>The failed expectations: stream, last message id, last sequence.</summary>
    public static bool IsExpectationFailed(int code) => code is WrongExpectedStream or WrongLastMessageId or WrongLastSequence;
}
