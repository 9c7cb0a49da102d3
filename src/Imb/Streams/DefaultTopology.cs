using Microsoft.Extensions.Options;

namespace Imb.Streams;

/// <summary>
/// Declares the default topology unless <see cref="ImbOptions.DefaultTopology"/> is off: the core's streams (SYSTEM,
/// IMB_DLQ) and those packages added with AddDefaultStream (Imb.Events: GDC_EVENTS). A stream declared under the same
/// name otherwise replaces the default.
/// </summary>
internal sealed class DefaultTopology(IOptions<DefaultStreams> defaults) : IPostConfigureOptions<ImbOptions>
{
    public const string System = "SYSTEM";
    public const string DeadLetters = "IMB_DLQ";

    /// <summary>Gets the core's own default streams.</summary>
    public static IReadOnlyDictionary<string, Action<StreamOptions>> Core { get; } = new Dictionary<string, Action<StreamOptions>>
    {
        // The root system queue: every system subject coalesces into this one stream.
        [System] = s => Declare(s, "system.>", "Root system queue: every system.raftv1 subject"),
        [DeadLetters] = s => Declare(s, DeadLetterSubjects.All, $"Imb dead letters: {DeadLetterSubjects.Prefix}<stream>.<consumer>"),
    };

    public void PostConfigure(string? name, ImbOptions options)
    {
        if (!options.DefaultTopology)
        {
            return;
        }

        foreach (var (stream, declare) in defaults.Value.Streams)
        {
            if (!options.Streams.ContainsKey(stream))
            {
                var declared = new StreamOptions();
                declare(declared);
                declared.Replicas = options.DefaultTopologyReplicas;
                options.Streams[stream] = declared;
            }
        }
    }

    private static void Declare(StreamOptions stream, string subject, string description)
    {
        stream.Subjects.Add(subject);
        stream.Description = description;
    }
}
