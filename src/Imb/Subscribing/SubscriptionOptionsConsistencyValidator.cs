using Imb.Streams;
using Microsoft.Extensions.Options;

namespace Imb.Subscribing;

/// <summary>Checks names, the filter subject and the rules that span several keys; each failure names its key.</summary>
internal sealed class SubscriptionOptionsConsistencyValidator : IValidateOptions<SubscriptionOptions>
{
    public ValidateOptionsResult Validate(string? name, SubscriptionOptions options)
    {
        var key = $"Imb:Subscriptions:{name}";
        var result = new ValidateOptionsResultBuilder();
        if (options.Stream.Length > 0 && SubjectRules.CheckName(options.Stream) is { } badStream)
        {
            result.AddError($"is not a stream name: it {badStream}", $"{key}:Stream");
        }

        if (options.Consumer is null && SubjectRules.CheckName(name) is { } badName)
        {
            result.AddError($"The subscription's name is its consumer's name unless Consumer is set, and it {badName}", key);
        }

        if (options.Consumer is { } consumer && SubjectRules.CheckName(consumer) is { } badConsumer)
        {
            result.AddError($"is not a consumer name: it {badConsumer}", $"{key}:Consumer");
        }

        if (options.FilterSubject is { } filter && SubjectRules.CheckFilter(filter) is { } badFilter)
        {
            result.AddError($"is not a subject filter: it {badFilter}", $"{key}:FilterSubject");
        }

        ValidateFilters(options, key, result);
        if (options.Start == SubscriptionStart.LastPerSubject && SubscriptionFilters.Of(options).Count == 0)
        {
            // nats-server 2.9 refuses it (err_code 10094); refused here for every server and in memory alike.
            result.AddError("is LastPerSubject, which needs a FilterSubject naming the subjects it takes the last of", $"{key}:Start");
        }

        if (options.Prefetch < options.Concurrency)
        {
            result.AddError($"({options.Prefetch}) must be at least Concurrency ({options.Concurrency}), or handlers wait for messages", $"{key}:Prefetch");
        }

        if (options.MaxAckPending < options.Concurrency)
        {
            result.AddError($"({options.MaxAckPending}) must be at least Concurrency ({options.Concurrency})", $"{key}:MaxAckPending");
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            result.AddError("must not be shorter than RetryDelay", $"{key}:MaxRetryDelay");
        }

        return result.Build();
    }

    private static void ValidateFilters(SubscriptionOptions options, string key, ValidateOptionsResultBuilder result)
    {
        if (options.FilterSubject is not null && options.FilterSubjects.Count > 0)
        {
            result.AddError("and FilterSubject are both set; set one", $"{key}:FilterSubjects");
        }

        for (var i = 0; i < options.FilterSubjects.Count; i++)
        {
            if (SubjectRules.CheckFilter(options.FilterSubjects[i]) is { } bad)
            {
                result.AddError($"is not a subject filter: it {bad}", $"{key}:FilterSubjects:{i}");
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                if (SubjectRules.Overlap(options.FilterSubjects[i], options.FilterSubjects[j]))
                {
                    // The server refuses overlapping filters: a message would match twice.
                    result.AddError($"({options.FilterSubjects[i]}) overlaps FilterSubjects:{j} ({options.FilterSubjects[j]})", $"{key}:FilterSubjects:{i}");
                }
            }
        }
    }
}
