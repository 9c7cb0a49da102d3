namespace Imb.Subscribing;

/// <summary>A subscription's subject filters, from <see cref="SubscriptionOptions.FilterSubject"/> or <see cref="SubscriptionOptions.FilterSubjects"/>; empty takes every subject.</summary>
internal static class SubscriptionFilters
{
    public static IReadOnlyList<string> Of(SubscriptionOptions options) =>
        options.FilterSubjects.Count > 0 ? [.. options.FilterSubjects] : options.FilterSubject is { } one ? [one] : [];

    /// <summary>How a log line names them: the filter, several joined with commas, or "&gt;" for all.</summary>
    public static string Describe(SubscriptionOptions options) => Of(options) is { Count: > 0 } filters ? string.Join(",", filters) : ">";
}
