namespace Imb.Connection;

/// <summary>A nats-server capability that older servers accept in configuration but silently ignore.</summary>
/// <param name="Description">What the user asked for, as they would name it.</param>
/// <param name="MinimumVersion">The first server version that honours it.</param>
internal sealed record ServerFeature(string Description, Version MinimumVersion)
{
    public static readonly ServerFeature ConsumerFilterSubjects = new("consumer filter_subjects (more than one filter subject)", new(2, 10, 0));
    public static readonly ServerFeature StreamSubjectTransform = new("stream subject transforms", new(2, 10, 0));
    public static readonly ServerFeature StreamMetadata = new("stream and consumer metadata", new(2, 10, 0));
    public static readonly ServerFeature StreamCompression = new("stream compression", new(2, 10, 0));
    public static readonly ServerFeature TerminateWithReason = new("terminating a message with a reason (+TERM <reason>)", new(2, 10, 4));
    public static readonly ServerFeature SyncAlways = new("syncing every write to disk (jetstream sync_interval: always)", new(2, 10, 0));
    public static readonly ServerFeature ConsumerPause = new("pausing a consumer on the server", new(2, 11, 0));
    public static readonly ServerFeature MessageTtl = new("per-message TTL (Nats-TTL header)", new(2, 11, 0));
    public static readonly ServerFeature FastIngestBatches = new("fast-ingest batch publishing (allow_batched)", new(2, 14, 0));
    public static readonly ServerFeature AtomicBatchPublish = new("atomic batch publish", new(2, 12, 0));
}
