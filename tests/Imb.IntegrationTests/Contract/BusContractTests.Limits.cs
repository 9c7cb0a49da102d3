using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on stream limits and retention: every setting both modes accept is enforced alike.</summary>
public abstract partial class BusContractTests
{
    // A message to "c<10 hex>.m" with an 8-byte body and a generated id, as nats-server counts it in a file stream:
    // 34 bytes of overhead, 13 of subject, 53 of header block (the Nats-Msg-Id), 8 of body.
    private const long EightByteMessage = 34 + 13 + 53 + 8;

    [Fact]
    public async Task Limits_MaxBytesDiscardOld_KeepsTheNewestThatFitAndCountsTheirBytes()
    {
        var (host, subject) = await StartAsync(s => s.MaxBytes = (3 * EightByteMessage) + 10);
        await using var _ = host;
        for (var i = 0; i < 5; i++)
        {
            await host.Get<IMessageBus>().PublishAsync(subject + ".m", "12345678"u8.ToArray(), cancellationToken: Ct);
        }

        var state = await host.Get<IImbTopology>().GetStreamAsync(StreamOf(subject), Ct);

        Assert.Equal((3L, 3UL, 5UL, 3 * EightByteMessage), (state.Messages, state.FirstSequence, state.LastSequence, state.Bytes));
    }

    [Fact]
    public async Task Limits_MaxBytesDiscardNew_RefusesWhatDoesNotFit()
    {
        var (host, subject) = await StartAsync(s => { s.MaxBytes = (2 * EightByteMessage) + 10; s.Discard = StreamDiscard.New; });
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        await bus.PublishAsync(subject + ".m", "12345678"u8.ToArray(), cancellationToken: Ct);
        await bus.PublishAsync(subject + ".m", "12345678"u8.ToArray(), cancellationToken: Ct);

        var full = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".m", "12345678"u8.ToArray(), cancellationToken: Ct));

        Assert.Equal((ImbErrorKind.StreamFull, 10077), (full.Kind, full.ServerErrorCode));
        Assert.Equal(2, (await host.Get<IImbTopology>().GetStreamAsync(StreamOf(subject), Ct)).Messages);
    }

    [Fact]
    public async Task Limits_MaxMessageSize_RefusesALargerMessageWithTheServersCode()
    {
        // The limit covers the header block too: the generated Nats-Msg-Id takes 53 bytes.
        var (host, subject) = await StartAsync(s => s.MaxMessageSize = 53 + 100);
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        var fits = await bus.PublishAsync(subject + ".m", new byte[100], cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".m", new byte[101], cancellationToken: Ct));

        Assert.Equal(1UL, fits.Sequence);
        Assert.Equal((ImbErrorKind.Rejected, 10054), (refused.Kind, refused.ServerErrorCode));
    }

    [Fact]
    public async Task Limits_MaxMessagesPerSubject_KeepsTheNewestOfEachSubject()
    {
        var (host, subject) = await StartAsync(s => s.MaxMessagesPerSubject = 2);
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        foreach (var leaf in new[] { "a", "a", "b", "a" })
        {
            await bus.PublishAsync($"{subject}.{leaf}", Encoding.UTF8.GetBytes(leaf), cancellationToken: Ct);
        }

        var state = await host.Get<IImbTopology>().GetStreamAsync(StreamOf(subject), Ct);

        Assert.Equal((3L, 2UL, 4UL), (state.Messages, state.FirstSequence, state.LastSequence));
    }

    [Fact]
    public async Task Limits_MaxAge_MessagesExpire()
    {
        var (host, subject) = await StartAsync(s => { s.MaxAge = TimeSpan.FromSeconds(2); s.DuplicateWindow = TimeSpan.FromSeconds(2); });
        await using var _ = host;
        await host.Get<IMessageBus>().PublishAsync(subject + ".m", "x"u8.ToArray(), cancellationToken: Ct);
        var topology = host.Get<IImbTopology>();
        Assert.Equal(1, (await topology.GetStreamAsync(StreamOf(subject), Ct)).Messages);

        await Waiter.UntilAsync(async ct => (await topology.GetStreamAsync(StreamOf(subject), ct)).Messages == 0, Waiter.Patience, "the message to expire", Ct);
    }

    [Theory]
    [InlineData(StreamRetention.Interest)]
    [InlineData(StreamRetention.WorkQueue)]
    public async Task Retention_InterestOrWorkQueue_AMessageGoesOnceItsConsumerAckedIt(StreamRetention retention)
    {
        var (host, subject) = await StartAsync(
            s => s.Retention = retention,
            (imb, stream, _) => imb.AddSubscription("worker", s => s.Stream = stream, (_, _, _) => ValueTask.CompletedTask));
        await using var _ = host;
        await using var recorder = await BusRecorder.StartAsync(host.Services, Recorded(subject), Ct);
        var topology = host.Get<IImbTopology>();

        await host.Get<IMessageBus>().PublishAsync(subject + ".job", "1"u8.ToArray(), cancellationToken: Ct);
        await host.Get<IMessageBus>().PublishAsync(subject + ".job", "2"u8.ToArray(), cancellationToken: Ct);
        await recorder.WaitForHandledAsync("worker", m => m.Data.Span.SequenceEqual("2"u8), Waiter.Patience, Ct);

        await Waiter.UntilAsync(async ct => (await topology.GetStreamAsync(StreamOf(subject), ct)).Messages == 0, Waiter.Patience, "acked messages to leave the stream", Ct);
        Assert.Equal(2UL, (await topology.GetStreamAsync(StreamOf(subject), Ct)).LastSequence);
    }

    [Fact]
    public async Task Retention_InterestWithoutConsumers_StoresNothing()
    {
        var (host, subject) = await StartAsync(s => s.Retention = StreamRetention.Interest);
        await using var _ = host;

        var ack = await host.Get<IMessageBus>().PublishAsync(subject + ".lost", "x"u8.ToArray(), cancellationToken: Ct);

        Assert.Equal(1UL, ack.Sequence);
        await Waiter.UntilAsync(async ct => (await host.Get<IImbTopology>().GetStreamAsync(StreamOf(subject), ct)).Messages == 0, Waiter.Patience, "the uninteresting message to go", Ct);
    }

    private static string StreamOf(string subject) => "C_" + subject[1..];
}
