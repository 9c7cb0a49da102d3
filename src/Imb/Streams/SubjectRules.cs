namespace Imb.Streams;

/// <summary>NATS subject and stream-name rules, checked on the client so mistakes fail with a clear message.</summary>
internal static class SubjectRules
{
    /// <summary>The longest subject Imb accepts; the server's control line limit (4 KiB) holds it with room for headers.</summary>
    public const int MaxSubjectLength = 1024;

    /// <summary>Returns why <paramref name="subject"/> is not a valid stream (filter) subject, or <see langword="null"/>.</summary>
    public static string? CheckFilter(string? subject) => Check(subject, wildcardsAllowed: true);

    /// <summary>Returns why <paramref name="subject"/> cannot be published to, or <see langword="null"/>.</summary>
    public static string? CheckPublish(string? subject) => Check(subject, wildcardsAllowed: false);

    /// <summary>Returns why <paramref name="name"/> is not a legal stream or consumer name, or <see langword="null"/>.</summary>
    public static string? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name.Length > 255)
        {
            return "is longer than 255 characters";
        }

        // Stricter than the server (which forbids '.', '*', '>', whitespace and path separators) so names are safe everywhere.
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? null
            : "may hold only letters, digits, '_' and '-'";
    }

    /// <summary>Tells whether some subject matches both filters (NATS wildcards: '*' one token, '>' one or more at the end).</summary>
    /// <remarks>Token by token over spans, no allocation: the in-memory broker runs it for every message.</remarks>
    public static bool Overlap(string first, string second)
    {
        var a = first.AsSpan();
        var b = second.AsSpan();
        while (true)
        {
            var tokenA = NextToken(ref a, out var moreA);
            var tokenB = NextToken(ref b, out var moreB);
            if (tokenA is ">" || tokenB is ">")
            {
                return true;
            }

            if (!tokenA.SequenceEqual(tokenB) && tokenA is not "*" && tokenB is not "*")
            {
                return false;
            }

            if (!moreA || !moreB)
            {
                return moreA == moreB;
            }
        }
    }

    /// <summary>Tells whether <paramref name="subject"/> (a literal subject) is matched by <paramref name="filter"/>.</summary>
    public static bool Matches(string filter, string subject) => Overlap(filter, subject);

    private static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> rest, out bool more)
    {
        var dot = rest.IndexOf('.');
        more = dot >= 0;
        var token = more ? rest[..dot] : rest;
        rest = more ? rest[(dot + 1)..] : default;
        return token;
    }

    /// <summary>One pass over the subject, no allocation: it runs for every published message.</summary>
    private static string? Check(string? subject, bool wildcardsAllowed)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return "is empty";
        }

        if (subject.Length > MaxSubjectLength)
        {
            return $"is longer than {MaxSubjectLength} characters";
        }

        var tokenStart = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && subject[i] != '.')
            {
                if (char.IsWhiteSpace(subject[i]) || char.IsControl(subject[i]))
                {
                    return "contains whitespace or a control character";
                }

                continue;
            }

            var token = subject.AsSpan(tokenStart, i - tokenStart);
            if (token.IsEmpty)
            {
                return "has an empty token (a leading, trailing or double '.')";
            }

            var wildcard = token is "*" or ">";
            if (wildcard && !wildcardsAllowed)
            {
                return "contains a wildcard ('*' or '>'), which a publish subject may not";
            }

            if (token is ">" && i != subject.Length)
            {
                return "has '>' before its last token";
            }

            if (!wildcard && token.IndexOfAny('*', '>') >= 0)
            {
                return "uses '*' or '>' inside a token; a wildcard must be a whole token";
            }

            tokenStart = i + 1;
        }

        return null;
    }
}
