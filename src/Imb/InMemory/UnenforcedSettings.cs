using System.Globalization;
using Imb.Streams;

namespace Imb.InMemory;

/// <summary>The declared stream settings an in-memory stream does not act on, named as in configuration.</summary>
internal static class UnenforcedSettings
{
    /// <summary>Those of <paramref name="declared"/> set to something other than their default, with their values; empty when there are none.</summary>
    public static IReadOnlyList<string> Of(StreamOptions declared)
    {
        (bool Set, string Name, object Value)[] settings =
        [
            (declared.MaxAge > TimeSpan.Zero, nameof(StreamOptions.MaxAge), declared.MaxAge),
            (declared.MaxBytes >= 0, nameof(StreamOptions.MaxBytes), declared.MaxBytes),
            (declared.MaxMessageSize >= 0, nameof(StreamOptions.MaxMessageSize), declared.MaxMessageSize),
            (declared.MaxMessagesPerSubject >= 0, nameof(StreamOptions.MaxMessagesPerSubject), declared.MaxMessagesPerSubject),
            (declared.Retention != StreamRetention.Limits, nameof(StreamOptions.Retention), declared.Retention),
        ];
        return [.. settings.Where(s => s.Set).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Value}"))];
    }
}
