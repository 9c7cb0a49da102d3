namespace Imb.Streams;

/// <summary>The streams of the default topology, as the core and packages on it registered them (AddDefaultStream).</summary>
internal sealed class DefaultStreams
{
    public Dictionary<string, Action<StreamOptions>> Streams { get; } = new(StringComparer.Ordinal);
}
