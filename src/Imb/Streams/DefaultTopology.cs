using Microsoft.Extensions.Options;

namespace Imb.Streams;

/// <summary>The streams every Imb deployment has unless <see cref="ImbOptions.DefaultTopology"/> is off.</summary>
internal sealed class DefaultTopology : IPostConfigureOptions<ImbOptions>
{
    public const string System = "SYSTEM";
    public const string Events = "GDC_EVENTS";
    public const string DeadLetters = "IMB_DLQ";

    public static IReadOnlyDictionary<string, Func<StreamOptions>> Streams { get; } = new Dictionary<string, Func<StreamOptions>>
    {
        // The root system queue: every system subject coalesces into this one stream.
        [System] = () => Declare("system.>", "Root system queue: every system.raftv1 subject"),
        [Events] = () =>
        {
            var events = Declare("gdc.events.>", "GDC events (wire format 1.0)");
            events.MaxAge = TimeSpan.FromHours(24);
            events.MaxBytes = 1L << 30;
            events.MaxMessages = 1_000_000;
            events.Replicas = 1;
            return events;
        },
        [DeadLetters] = () => Declare(DeadLetterSubjects.All, $"Imb dead letters: {DeadLetterSubjects.Prefix}<stream>.<consumer>"),
    };

    public void PostConfigure(string? name, ImbOptions options)
    {
        if (!options.DefaultTopology)
        {
            return;
        }

        foreach (var (stream, declare) in Streams)
        {
            options.Streams.TryAdd(stream, declare());
        }
    }

    private static StreamOptions Declare(string subject, string description) => new() { Subjects = { subject }, Description = description };
}
