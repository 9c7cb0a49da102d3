using System.Text;
using Imb.Publishing;

namespace Imb.Tests.Publishing;

/// <summary>The answers of a fast-ingest batch, as nats-server 2.15.1 sends them, and what each settles.</summary>
public sealed class FastBatchTests
{
    [Fact]
    public void Parse_EveryAnswerShapeTheServerSends_ReadAsItsKind()
    {
        var flow = Parse("""{"type":"ack","seq":512,"msgs":256}""");
        var gap = Parse("""{"type":"gap","last_seq":2,"seq":3}""");
        var rejected = Parse("""{"type":"err","seq":2,"error":{"code":400,"err_code":10060,"description":"expected stream does not match"}}""");
        var ended = Parse("""{"stream":"FI","seq":6,"batch":"B5","count":7}""");
        var failed = Parse("""{"error":{"code":400,"err_code":10208,"description":"batch publish ID unknown"},"stream":"FI","seq":0}""");

        Assert.Equal((FastBatchFrameKind.FlowAck, 512L, 256), (flow.Kind, flow.Sequence, flow.Messages));
        Assert.Equal((FastBatchFrameKind.Gap, 3L), (gap.Kind, gap.Sequence));
        Assert.Equal((FastBatchFrameKind.Rejected, 2L, 400, 10060, "expected stream does not match"), (rejected.Kind, rejected.Sequence, rejected.ErrorCode, rejected.ErrCode, rejected.Description));
        Assert.Equal((FastBatchFrameKind.Ended, 7L), (ended.Kind, ended.Count));
        Assert.Equal((FastBatchFrameKind.Failed, 10208), (failed.Kind, failed.ErrCode));
        Assert.Equal(FastBatchFrameKind.Unknown, Parse("not json").Kind);
        Assert.Equal(FastBatchFrameKind.Unknown, Parse("""{"type":"something-new"}""").Kind);
        Assert.Equal(FastBatchFrameKind.Unknown, Parse("[1]").Kind);
    }

    [Fact]
    public void ReplyTo_CarriesFlowGapModeSequenceAndOperation()
    {
        var batch = NewBatch(flow: 3);

        Assert.Equal("_INBOX.FIx.b1.3.fail.1.0.$FI", batch.ReplyTo(1, FastBatch.Start));
        Assert.Equal("_INBOX.FIx.b1.3.fail.2.1.$FI", batch.ReplyTo(2, FastBatch.Add));
        Assert.Equal("_INBOX.FIx.b1.3.fail.9.3.$FI", batch.ReplyTo(9, FastBatch.EndOfBatch));
    }

    [Fact]
    public void FlowAck_SettlesThroughItsSequence_AndOwesTheNextOnlyOnceEnoughAreSent()
    {
        var batch = NewBatch(flow: 3);
        for (var i = 0; i < 4; i++)
        {
            batch.Reserve("fi.a", 0);
        }

        Assert.True(batch.AckOwed(3));
        Assert.False(batch.AckOwed(4)); // the next ack comes at 6; only 4 are sent
        batch.Apply(Parse("""{"type":"ack","seq":3,"msgs":3}"""), 0);

        Assert.Equal(FastOutcome.Stored, batch.OutcomeOf(3).Outcome);
        Assert.Equal(FastOutcome.Pending, batch.OutcomeOf(4).Outcome);
        Assert.Equal(1, batch.Unsettled);
    }

    [Fact]
    public void End_TheServersCountSettlesTheRest_AndTheBatchTakesNoMore()
    {
        var batch = NewBatch(flow: 100);
        batch.Reserve("fi.a", 0);
        batch.Reserve("fi.b", 0);

        Assert.True(batch.TryEnd(out var sequence, out var subject));
        Assert.Equal((3L, "fi.b"), (sequence, subject));
        Assert.False(batch.IsOpen);
        Assert.False(batch.TryEnd(out _, out _));
        Assert.True(batch.AckOwed(2));
        batch.Apply(Parse("""{"stream":"FI","seq":2,"batch":"b1","count":2}"""), 0);

        Assert.Equal(FastOutcome.Stored, batch.OutcomeOf(2).Outcome);
        Assert.True(batch.IsOver);
    }

    [Fact]
    public void RefusedMessage_ReportedWithItsReason_TheOnesAfterItUnknown()
    {
        var batch = NewBatch(flow: 100);
        for (var i = 0; i < 4; i++)
        {
            batch.Reserve("fi.a", 0);
        }

        batch.Apply(Parse("""{"type":"err","seq":2,"error":{"code":400,"err_code":10054,"description":"message size exceeds maximum allowed"}}"""), 0);
        batch.Apply(Parse("""{"stream":"FI","seq":1,"batch":"b1","count":1}"""), 0);

        Assert.Equal(FastOutcome.Stored, batch.OutcomeOf(1).Outcome);
        var (outcome, refusal) = batch.OutcomeOf(2);
        Assert.Equal((FastOutcome.Rejected, 10054), (outcome, refusal.ErrCode));
        Assert.Equal(FastOutcome.Unknown, batch.OutcomeOf(3).Outcome);
        Assert.Equal(FastOutcome.Unknown, batch.OutcomeOf(4).Outcome);
    }

    [Fact]
    public async Task GiveUp_WakesWaiters_AndLeavesWhatHasNoAnswerUnknown()
    {
        var batch = NewBatch(flow: 2);
        batch.Reserve("fi.a", 0);
        batch.Reserve("fi.a", 0);
        batch.Reserve("fi.a", 0);
        batch.Apply(Parse("""{"type":"ack","seq":2,"msgs":2}"""), 0);
        var changed = batch.Changed;

        batch.GiveUp();
        await changed.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(FastOutcome.Stored, batch.OutcomeOf(2).Outcome);
        Assert.Equal(FastOutcome.Unknown, batch.OutcomeOf(3).Outcome);
        Assert.False(batch.IsOpen);
    }

    [Fact]
    public void Restore_AfterTheBatchBegan_ClosesItToNewMessages()
    {
        var restored = new TaskCompletionSource();
        var batch = new FastBatch("FI", "b1", "_INBOX.FIx.b1", 3, restored.Task, 0);
        Assert.True(batch.IsOpen);

        restored.SetResult();

        Assert.False(batch.IsOpen);
    }

    [Theory]
    [InlineData(1024, 512)]
    [InlineData(65536, 512)]
    [InlineData(16, 8)]
    [InlineData(1, 1)]
    public void FlowFor_HalfTheWindowAtMost512(int maxInFlight, int flow) => Assert.Equal(flow, FastIngestPublisher.FlowFor(maxInFlight));

    private static FastBatch NewBatch(int flow) => new("FI", "b1", "_INBOX.FIx.b1", flow, new TaskCompletionSource().Task, 0);

    private static FastBatchFrame Parse(string json) => FastBatchFrame.Parse(Encoding.UTF8.GetBytes(json));
}
