using Microsoft.Extensions.Options;

namespace Imb.Streams;

/// <summary>Pre-flight checks of the declared streams that need no server: names, subjects, overlaps, limits.</summary>
internal sealed class StreamsValidator : IValidateOptions<ImbOptions>
{
    public ValidateOptionsResult Validate(string? name, ImbOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        foreach (var (stream, declared) in options.Streams)
        {
            var key = $"Imb:Streams:{stream}";
            if (SubjectRules.CheckName(stream) is { } badName)
            {
                result.AddError($"the stream name {badName}", key);
            }

            if (declared.Subjects.Count == 0)
            {
                result.AddError("a stream must capture at least one subject", $"{key}:Subjects");
            }

            for (var i = 0; i < declared.Subjects.Count; i++)
            {
                if (SubjectRules.CheckFilter(declared.Subjects[i]) is { } badSubject)
                {
                    result.AddError($"'{declared.Subjects[i]}' {badSubject}", $"{key}:Subjects:{i}");
                }
            }

            ValidateLimits(declared, key, result);
            ValidateTransformAndPlacement(declared, key, result);
            var dataAnnotations = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(declared, new(declared), dataAnnotations, validateAllProperties: true))
            {
                foreach (var failure in dataAnnotations)
                {
                    result.AddError(failure.ErrorMessage ?? "is invalid", $"{key}:{string.Join(",", failure.MemberNames)}");
                }
            }
        }

        ValidateOverlaps(options.Streams, result);
        return result.Build();
    }

    private static void ValidateLimits(StreamOptions declared, string key, ValidateOptionsResultBuilder result)
    {
        if (declared.MaxAge < TimeSpan.Zero)
        {
            result.AddError("must be zero (keep forever) or positive", $"{key}:MaxAge");
        }

        if (declared.DuplicateWindow < TimeSpan.Zero)
        {
            result.AddError("must not be negative", $"{key}:DuplicateWindow");
        }

        if (declared.MaxAge > TimeSpan.Zero && declared.DuplicateWindow > declared.MaxAge)
        {
            result.AddError($"({declared.DuplicateWindow}) must not be longer than MaxAge ({declared.MaxAge})", $"{key}:DuplicateWindow");
        }
    }

    private static void ValidateTransformAndPlacement(StreamOptions declared, string key, ValidateOptionsResultBuilder result)
    {
        if (declared.SubjectTransform is { } transform)
        {
            if (SubjectTransformer.Check(transform) is { } bad)
            {
                result.AddError(bad, $"{key}:SubjectTransform");
            }
            else if (!declared.Subjects.Any(subject => SubjectRules.Overlap(subject, transform.Source)))
            {
                result.AddError($"Source '{transform.Source}' matches none of the stream's subjects, so it would never apply", $"{key}:SubjectTransform:Source");
            }
        }

        if (declared.Placement is { } placement)
        {
            if (placement.Cluster is { } cluster && (cluster.Length == 0 || cluster.Any(char.IsWhiteSpace)))
            {
                result.AddError($"'{cluster}' is not a cluster name (empty or with whitespace)", $"{key}:Placement:Cluster");
            }

            for (var i = 0; i < placement.Tags.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(placement.Tags[i]))
                {
                    result.AddError("a tag must not be empty", $"{key}:Placement:Tags:{i}");
                }
            }
        }
    }

    private static void ValidateOverlaps(IDictionary<string, StreamOptions> streams, ValidateOptionsResultBuilder result)
    {
        var all = streams.SelectMany(s => s.Value.Subjects.Select(subject => (Stream: s.Key, Subject: subject))).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            for (var j = i + 1; j < all.Count; j++)
            {
                if (all[i].Stream != all[j].Stream && SubjectRules.Overlap(all[i].Subject, all[j].Subject))
                {
                    result.AddError(
                        $"subject '{all[i].Subject}' of stream {all[i].Stream} overlaps subject '{all[j].Subject}' of stream {all[j].Stream}; a message may be stored by one stream only",
                        "Imb:Streams");
                }
            }
        }
    }
}
