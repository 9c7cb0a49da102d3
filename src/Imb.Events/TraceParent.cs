using System.Security.Cryptography;
using System.Text;

namespace Imb.Events;

/// <summary>The W3C <c>traceparent</c> header for an event whose trace id has the W3C form.</summary>
internal static class TraceParent
{
    public const string HeaderName = "traceparent";

    /// <summary>
    /// A full traceparent is carried as is; a bare 32-hex trace id gets a span id derived from the event id (the event
    /// is its own span). Any other trace id, such as "trace-123", travels only in the body.
    /// </summary>
    public static string? From(string? traceId, string eventId)
    {
        if (traceId is null)
        {
            return null;
        }

        if (traceId.Length == 55 && traceId[2] == '-' && traceId[35] == '-' && traceId[52] == '-' && IsHex(traceId.Replace("-", string.Empty, StringComparison.Ordinal)) && !IsZero(traceId.AsSpan(3, 32)))
        {
            return traceId;
        }

        if (traceId.Length == 32 && IsHex(traceId) && !IsZero(traceId))
        {
            var span = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).AsSpan(0, 8));
            return $"00-{traceId}-{span}-01";
        }

        return null;
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigitLower);

    private static bool IsZero(ReadOnlySpan<char> text) => !text.ContainsAnyExcept('0');
}
