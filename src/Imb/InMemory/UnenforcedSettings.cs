using System.Globalization;
using Imb.Streams;

namespace Imb.InMemory;

/// <summary>The declared stream settings an in-memory stream does not act on, named as in configuration.</summary>
internal static class UnenforcedSettings
{
    /// <summary>Those of <paramref name="declared"/> set to something other than their default; empty when there are none.</summary>
    public static IReadOnlyList<string> Of(StreamOptions declared)
    {
        var names = new List<string>();
        if (declared.MaxAge > TimeSpan.Zero)
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(StreamOptions.MaxAge)} {declared.MaxAge}"));
        }

        if (declared.MaxBytes >= 0)
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(StreamOptions.MaxBytes)} {declared.MaxBytes}"));
        }

        if (declared.MaxMessageSize >= 0)
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(StreamOptions.MaxMessageSize)} {declared.MaxMessageSize}"));
        }

        if (declared.MaxMessagesPerSubject >= 0)
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(StreamOptions.MaxMessagesPerSubject)} {declared.MaxMessagesPerSubject}"));
        }

        if (declared.Retention != StreamRetention.Limits)
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(StreamOptions.Retention)} {declared.Retention}"));
        }

        return names;
    }
}
