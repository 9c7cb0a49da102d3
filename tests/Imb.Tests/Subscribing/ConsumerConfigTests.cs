using Imb.Subscribing;

namespace Imb.Tests.Subscribing;

/// <summary>How a subscription's filters reach its consumer: one as filter_subject (every server), several as filter_subjects (2.10+).</summary>
public sealed class ConsumerConfigTests
{
    [Fact]
    public void ToConfig_NoFilter_TakesEverySubject()
    {
        var config = ConsumerProvisioner.ToConfig("all", new SubscriptionOptions { Stream = "S" });

        Assert.Null(config.FilterSubject);
        Assert.Null(config.FilterSubjects);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ToConfig_OneFilter_IsAFilterSubjectHoweverItWasGiven(bool asList)
    {
        var options = new SubscriptionOptions { Stream = "S" };
        if (asList)
        {
            options.FilterSubjects.Add("orders.*");
        }
        else
        {
            options.FilterSubject = "orders.*";
        }

        var config = ConsumerProvisioner.ToConfig("one", options);

        Assert.Equal("orders.*", config.FilterSubject);
        Assert.Null(config.FilterSubjects);
    }

    [Fact]
    public void ToConfig_SeveralFilters_AreFilterSubjectsInTheirOrder()
    {
        var config = ConsumerProvisioner.ToConfig("several", new SubscriptionOptions { Stream = "S", FilterSubjects = { "orders.*", "refunds.>" } });

        Assert.Null(config.FilterSubject);
        Assert.Equal(["orders.*", "refunds.>"], config.FilterSubjects!);
        Assert.Equal("orders.*,refunds.>", SubscriptionFilters.Describe(new SubscriptionOptions { FilterSubjects = { "orders.*", "refunds.>" } }));
    }
}
