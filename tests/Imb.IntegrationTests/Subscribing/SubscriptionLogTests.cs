using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>Every failure path of a subscription logs with its stable event id, its level and the fields an operator searches by.</summary>
public sealed class SubscriptionLogTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailurePaths_HandlerFailureDeadLetterAndFullDeadLetterStream_LogLevelIdAndFields()
    {
        // Its own server: the dead-letter stream is made to hold one message only.
        await using var server = await NatsNode.StartAsync("logs", Path.Combine(nats.Directory, nats.NewName("logs")), cancellationToken: Ct);
        var stream = nats.NewName("LOGS");
        await using var scenario = await SubscriptionScenario.StartAsync(
            server.Url, stream,
            (imb, name, _) => imb.AddSubscription("audit", s => { s.Stream = name; s.MaxDeliver = 2; s.RetryDelay = TimeSpan.FromMilliseconds(50); }, (_, _, _) =>
                throw new InvalidOperationException("ledger unavailable")),
            deadLetters: s => { s.MaxMessages = 1; s.Discard = StreamDiscard.New; });
        var subject = $"{scenario.Subject}.entry";

        var first = await scenario.Bus.PublishAsync(subject, "a"u8.ToArray(), new PublishOptions { MessageId = "entry-a" }, Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(504).Count == 1, Waiter.Patience, "the first dead letter", Ct);
        var second = await scenario.Bus.PublishAsync(subject, "b"u8.ToArray(), new PublishOptions { MessageId = "entry-b" }, Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(505).Count > 0, Waiter.Patience, "the dead letter that does not fit", Ct);

        var failed = scenario.Host.LogsWithEventId(503).First(r => Field(r, "MessageId") == "entry-a");
        AssertEntry(failed, LogLevel.Warning, stream, subject, first.Sequence, delivery: 1, "entry-a");
        Assert.Equal("2", Field(failed, "MaxDeliver"));
        Assert.IsType<InvalidOperationException>(failed.Exception);

        var deadLettered = Assert.Single(scenario.Host.LogsWithEventId(504));
        AssertEntry(deadLettered, LogLevel.Error, stream, subject, first.Sequence, delivery: 2, "entry-a");
        Assert.Equal($"imb.dlq.{stream}.audit", Field(deadLettered, "DeadLetterSubject"));
        Assert.Equal("Failed on delivery 2 of 2: InvalidOperationException: ledger unavailable", Field(deadLettered, "Reason"));

        var stuck = scenario.Host.LogsWithEventId(505)[0];
        AssertEntry(stuck, LogLevel.Error, stream, subject, second.Sequence, delivery: 2, "entry-b");
        Assert.Equal(ImbErrorKind.StreamFull, Assert.IsType<ImbException>(stuck.Exception).Kind);

        // The letter that did not fit is not lost: the message is not terminated, it comes back and is tried again.
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(505).Count >= 2, Waiter.Patience, "the dead letter to be tried again", Ct);
        Assert.Single(await scenario.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task FailurePaths_ConsumerGoneUnderVerifyOnly_LogsMissingThenFailedWithItsNames()
    {
        var stream = nats.NewName("LOGV");
        await using (await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, _) => imb.AddSubscription("gone", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask)))
        {
            // Creates the streams and the consumer.
        }

        await using var scenario = await SubscriptionScenario.StartAsync(
            nats.Url, stream, (imb, name, _) => imb.AddSubscription("gone", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask), o => o.Provisioning = ProvisioningMode.VerifyOnly);
        await scenario.JetStream.DeleteConsumerAsync(stream, "gone", Ct);
        await Waiter.UntilAsync(() => scenario.Host.LogsWithEventId(507).Any(r => Field(r, "State") == "Failed"), Waiter.Patience, "the failed recovery to be logged", Ct);

        // The server may tell the pull first (409, then 507 alone) or the periodic check may find it gone first (509).
        foreach (var missing in scenario.Host.LogsWithEventId(509))
        {
            Assert.Equal(LogLevel.Warning, missing.Level);
            Assert.Equal(("gone", stream, "gone"), (Field(missing, "Subscription"), Field(missing, "Stream"), Field(missing, "Consumer")));
        }

        // The lost pull may first be logged as Recovering; re-creating under VerifyOnly then fails for good.
        var failed = scenario.Host.LogsWithEventId(507).First(r => Field(r, "State") == "Failed");
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal(("gone", stream, "gone", "Failed"), (Field(failed, "Subscription"), Field(failed, "Stream"), Field(failed, "Consumer"), Field(failed, "State")));
        Assert.Equal(ImbErrorKind.Consumer, Assert.IsType<ImbException>(failed.Exception).Kind);
    }

    private static void AssertEntry(FakeLogRecord record, LogLevel level, string stream, string subject, ulong sequence, int delivery, string messageId)
    {
        Assert.Equal(level, record.Level);
        Assert.Equal("audit", Field(record, "Subscription"));
        Assert.Equal(stream, Field(record, "Stream"));
        Assert.Equal("audit", Field(record, "Consumer"));
        Assert.Equal(subject, Field(record, "Subject"));
        Assert.Equal(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(record, "Sequence"));
        Assert.Equal(delivery.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(record, "Delivery"));
        Assert.Equal(messageId, Field(record, "MessageId"));
    }

    private static string? Field(FakeLogRecord record, string name) =>
        record.StructuredState!.Single(p => p.Key == name).Value;
}
