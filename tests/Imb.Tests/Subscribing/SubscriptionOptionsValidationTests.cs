using Imb.Subscribing;
using Microsoft.Extensions.Options;

namespace Imb.Tests.Subscribing;

public sealed class SubscriptionOptionsValidationTests
{
    public static TheoryData<string, Action<SubscriptionOptions>, string> Invalid => new()
    {
        { "orders", o => o.Stream = "", "Stream" },
        { "orders", o => o.Stream = "A.B", "Imb:Subscriptions:orders:Stream" },
        { "orders", o => o.Consumer = "has space", "Imb:Subscriptions:orders:Consumer" },
        { "bad.name", _ => { }, "Imb:Subscriptions:bad.name" },
        { "orders", o => o.FilterSubject = "a..b", "Imb:Subscriptions:orders:FilterSubject" },
        { "orders", o => { o.FilterSubject = "a.>"; o.FilterSubjects.Add("b.>"); }, "Imb:Subscriptions:orders:FilterSubjects" },
        { "orders", o => { o.FilterSubjects.Add("a.b"); o.FilterSubjects.Add("c d"); }, "Imb:Subscriptions:orders:FilterSubjects:1" },
        { "orders", o => { o.FilterSubjects.Add("orders.*.placed"); o.FilterSubjects.Add("orders.eu.>"); }, "Imb:Subscriptions:orders:FilterSubjects:1" },
        { "orders", o => { o.Concurrency = 8; o.Prefetch = 4; }, "Imb:Subscriptions:orders:Prefetch" },
        { "orders", o => { o.Concurrency = 8; o.MaxAckPending = 4; }, "Imb:Subscriptions:orders:MaxAckPending" },
        { "orders", o => { o.RetryDelay = TimeSpan.FromSeconds(10); o.MaxRetryDelay = TimeSpan.FromSeconds(1); }, "Imb:Subscriptions:orders:MaxRetryDelay" },
        { "orders", o => o.AckWait = TimeSpan.FromMilliseconds(10), "AckWait" },
        { "orders", o => o.MaxDeliver = 0, "MaxDeliver" },
        { "orders", o => o.Concurrency = 0, "Concurrency" },
        { "orders", o => o.Start = SubscriptionStart.LastPerSubject, "Imb:Subscriptions:orders:Start" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidSetting_FailsNamingTheKey(string name, Action<SubscriptionOptions> change, string key)
    {
        var options = new SubscriptionOptions { Stream = "ORDERS" };
        change(options);

        var failures = Validate(name, options);

        Assert.Contains(failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralFiltersThatDoNotOverlap_Pass() =>
        Assert.Empty(Validate("orders", new SubscriptionOptions { Stream = "ORDERS", Start = SubscriptionStart.LastPerSubject, FilterSubjects = { "orders.*.placed", "orders.*.paid" } }));

    [Fact]
    public void Validate_Defaults_WithAStream_Pass() => Assert.Empty(Validate("orders", new SubscriptionOptions { Stream = "ORDERS", FilterSubject = "orders.*.placed" }));

    private static List<string> Validate(string name, SubscriptionOptions options) =>
        new IValidateOptions<SubscriptionOptions>[] { new SubscriptionOptionsValidator(), new SubscriptionOptionsConsistencyValidator() }
            .Select(v => v.Validate(name, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures!)
            .ToList();
}
