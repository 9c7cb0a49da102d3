using System.Globalization;
using NATS.Client.JetStream.Models;

namespace Imb.Streams;

/// <summary>Maps declared <see cref="StreamOptions"/> to the server's stream configuration, and compares the two field by field.</summary>
internal static class StreamConfigMapper
{
    public static StreamConfig ToConfig(string name, StreamOptions options) => Apply(new StreamConfig { Name = name }, options);

    /// <summary>Overlays the fields Imb manages onto <paramref name="config"/>, keeping fields others may have set.</summary>
    public static StreamConfig Apply(StreamConfig config, StreamOptions options)
    {
        config.Subjects = [.. options.Subjects];
        config.Storage = options.Storage == StreamStorage.Memory ? StreamConfigStorage.Memory : StreamConfigStorage.File;
        config.Retention = options.Retention switch
        {
            StreamRetention.Interest => StreamConfigRetention.Interest,
            StreamRetention.WorkQueue => StreamConfigRetention.Workqueue,
            _ => StreamConfigRetention.Limits,
        };
        config.MaxAge = options.MaxAge;
        config.MaxBytes = options.MaxBytes;
        config.MaxMsgs = options.MaxMessages;
        config.MaxMsgSize = options.MaxMessageSize;
        config.MaxMsgsPerSubject = options.MaxMessagesPerSubject;
        config.Discard = options.Discard == StreamDiscard.New ? StreamConfigDiscard.New : StreamConfigDiscard.Old;
        config.NumReplicas = options.Replicas;
        config.DuplicateWindow = options.DuplicateWindow;
        config.Description = options.Description;
        config.Compression = options.Compressed ? StreamConfigCompression.S2 : StreamConfigCompression.None;
        config.Metadata = options.Metadata.Count == 0 ? null : new Dictionary<string, string>(options.Metadata);
        config.AllowBatchPublish = options.AllowBatched;
        config.SubjectTransform = options.SubjectTransform is { } transform ? new SubjectTransform { Src = transform.Source, Dest = transform.Destination } : null;
        config.Placement = options.Placement is { } placement ? new Placement { Cluster = placement.Cluster, Tags = [.. placement.Tags] } : null;
        return config;
    }

    public static IReadOnlyList<StreamFieldDifference> Compare(StreamConfig desired, StreamConfig actual)
    {
        var differences = new List<StreamFieldDifference>();
        void Check<T>(string field, T want, T have, bool mutable = true)
        {
            if (!EqualityComparer<T>.Default.Equals(want, have))
            {
                differences.Add(new StreamFieldDifference(field, Format(want), Format(have), mutable));
            }
        }

        Check(nameof(StreamOptions.Subjects), Join(desired.Subjects), Join(actual.Subjects));
        Check(nameof(StreamOptions.Storage), desired.Storage, actual.Storage, mutable: false);
        Check(nameof(StreamOptions.Retention), desired.Retention, actual.Retention, mutable: false);
        Check(nameof(StreamOptions.MaxAge), desired.MaxAge, actual.MaxAge);
        Check(nameof(StreamOptions.MaxBytes), desired.MaxBytes, actual.MaxBytes);
        Check(nameof(StreamOptions.MaxMessages), desired.MaxMsgs, actual.MaxMsgs);
        Check(nameof(StreamOptions.MaxMessageSize), desired.MaxMsgSize, actual.MaxMsgSize);
        Check(nameof(StreamOptions.MaxMessagesPerSubject), desired.MaxMsgsPerSubject, actual.MaxMsgsPerSubject);
        Check(nameof(StreamOptions.Discard), desired.Discard, actual.Discard);
        Check(nameof(StreamOptions.Replicas), desired.NumReplicas, actual.NumReplicas);
        Check(nameof(StreamOptions.DuplicateWindow), desired.DuplicateWindow, actual.DuplicateWindow);
        Check(nameof(StreamOptions.Description), desired.Description ?? string.Empty, actual.Description ?? string.Empty);
        Check(nameof(StreamOptions.Compressed), desired.Compression, actual.Compression);
        Check(nameof(StreamOptions.AllowBatched), desired.AllowBatchPublish, actual.AllowBatchPublish);
        Check(nameof(StreamOptions.SubjectTransform), FormatTransform(desired.SubjectTransform), FormatTransform(actual.SubjectTransform));
        Check(nameof(StreamOptions.Placement), FormatPlacement(desired.Placement), FormatPlacement(actual.Placement));
        Check(nameof(StreamOptions.Metadata), JoinMetadata(desired.Metadata), JoinMetadata(actual.Metadata));
        return differences;
    }

    private static string FormatTransform(SubjectTransform? transform) =>
        transform is { Src.Length: > 0 } or { Dest.Length: > 0 } ? $"{transform.Src} -> {transform.Dest}" : string.Empty;

    // Tags are compared as a set, without case: the server matches them so.
    private static string FormatPlacement(Placement? placement) =>
        placement is null ? string.Empty : string.Join(" ", new[]
        {
            string.IsNullOrEmpty(placement.Cluster) ? null : "cluster " + placement.Cluster,
            placement.Tags is { Count: > 0 } tags ? "tags " + Join(tags.Select(t => t.ToLowerInvariant())) : null,
        }.Where(p => p is not null));

    // Servers from 2.11 add their own "_nats." keys; those are not the declaration's business.
    private static string JoinMetadata(IDictionary<string, string>? metadata) =>
        Join(metadata?.Where(p => !p.Key.StartsWith("_nats.", StringComparison.Ordinal)).Select(p => $"{p.Key}={p.Value}"));

    private static string Join(IEnumerable<string>? values) => string.Join(",", (values ?? []).Order(StringComparer.Ordinal));

    private static string Format<T>(T value) => value switch
    {
        null => "(none)",
        string { Length: 0 } => "(none)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}
