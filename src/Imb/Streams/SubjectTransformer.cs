using System.Globalization;
using System.Text.RegularExpressions;

namespace Imb.Streams;

/// <summary>
/// The part of nats-server's subject transforms Imb supports in both modes: literal tokens, a reference to the token
/// a source <c>*</c> matched (<c>{{wildcard(n)}}</c> or <c>$n</c>) and a final <c>&gt;</c>. The server applies the
/// transform on the NATS path; the in-memory mode applies it here, so both store the same subject.
/// </summary>
internal sealed partial class SubjectTransformer
{
    private readonly string _source;
    private readonly string[] _destination;
    private readonly int[] _references;

    private SubjectTransformer(string source, string[] destination, int[] references)
    {
        _source = source;
        _destination = destination;
        _references = references;
    }

    /// <summary>Returns why the transform cannot be used, or <see langword="null"/>.</summary>
    public static string? Check(SubjectTransformOptions transform) => Parse(transform, out _);

    /// <summary>Builds a checked transform.</summary>
    public static SubjectTransformer Create(SubjectTransformOptions transform) =>
        Parse(transform, out var transformer) is { } error ? throw new ArgumentException(error, nameof(transform)) : transformer!;

    /// <summary>Returns the subject to store for a published one: rewritten when the source matches it, else as it was.</summary>
    public string Apply(string subject)
    {
        if (!SubjectRules.Matches(_source, subject))
        {
            return subject;
        }

        var published = subject.Split('.');
        var source = _source.Split('.');
        var wildcards = new List<string>();
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == "*")
            {
                wildcards.Add(published[i]);
            }
        }

        var stored = new string[_destination.Length];
        for (var i = 0; i < _destination.Length; i++)
        {
            stored[i] = _references[i] switch
            {
                0 => _destination[i],
                -1 => string.Join('.', published[(source.Length - 1)..]),
                var n => wildcards[n - 1],
            };
        }

        return string.Join('.', stored);
    }

    private static string? Parse(SubjectTransformOptions transform, out SubjectTransformer? transformer)
    {
        transformer = null;
        if (SubjectRules.CheckFilter(transform.Source) is { } badSource)
        {
            return $"Source '{transform.Source}' {badSource}";
        }

        if (string.IsNullOrEmpty(transform.Destination) || transform.Destination.Length > SubjectRules.MaxSubjectLength)
        {
            return string.IsNullOrEmpty(transform.Destination) ? "Destination is empty" : $"Destination is longer than {SubjectRules.MaxSubjectLength} characters";
        }

        var source = transform.Source.Split('.');
        var wildcards = source.Count(t => t == "*");
        var tokens = transform.Destination.Split('.');
        var references = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token == ">")
            {
                if (i != tokens.Length - 1 || source[^1] != ">")
                {
                    return $"Destination '{transform.Destination}' may end in '>' only, and only when Source ends in '>'";
                }

                references[i] = -1;
            }
            else if (Reference().Match(token) is { Success: true } match)
            {
                var n = int.Parse(match.Groups["n"].Success ? match.Groups["n"].Value : match.Groups["d"].Value, CultureInfo.InvariantCulture);
                if (n < 1 || n > wildcards)
                {
                    return $"Destination '{transform.Destination}' refers to wildcard {n}; Source '{transform.Source}' has {wildcards} '*'";
                }

                references[i] = n;
            }
            else if (token.Contains("{{", StringComparison.Ordinal) || token.Contains('$', StringComparison.Ordinal))
            {
                return $"Destination token '{token}' is not supported: Imb takes {{{{wildcard(n)}}}} or $n as a whole token (no other transform functions)";
            }
            else if (SubjectRules.CheckPublish(token) is { } badToken)
            {
                return $"Destination token '{token}' {badToken}";
            }
        }

        if (source[^1] == ">" && tokens[^1] != ">")
        {
            return $"Destination '{transform.Destination}' must end in '>' like Source '{transform.Source}', or the rest of the subject is lost";
        }

        transformer = new SubjectTransformer(transform.Source, tokens, references);
        return null;
    }

    [GeneratedRegex(@"^(?:\{\{\s*[Ww]ildcard\s*\(\s*(?<n>\d+)\s*\)\s*\}\}|\$(?<d>\d+))$", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
