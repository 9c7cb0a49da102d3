using System.Threading.Channels;
using Imb.Subscribing;

namespace Imb.Tests.Subscribing;

public sealed class SubscriptionPauseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_PausedThenResumed_EndsTheSpellWaitsAndStartsANewOne()
    {
        var status = new SubscriptionStatus("orders", "ORDERS", "orders");
        var spells = Channel.CreateUnbounded<CancellationToken>();
        using var stop = new CancellationTokenSource();
        var run = status.Pause.RunAsync(
            async spell =>
            {
                status.Set(SubscriptionState.Consuming);
                await spells.Writer.WriteAsync(spell, Ct);
                await Task.Delay(Timeout.Infinite, spell).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // until the spell ends
            },
            status,
            stop.Token);
        var first = await spells.Reader.ReadAsync(Ct);

        Assert.Equal("in memory", await status.Pause.PauseAsync(Ct));
        Assert.True(first.IsCancellationRequested);
        Assert.True(status.Pause.IsPaused);
        await Imb.Testing.Waiter.UntilAsync(() => status.Snapshot.State == SubscriptionState.Paused, Imb.Testing.Waiter.Patience, "the loop to wait paused", Ct);
        Assert.False(spells.Reader.TryRead(out _));

        await status.Pause.ResumeAsync(Ct);
        var second = await spells.Reader.ReadAsync(Ct);
        Assert.False(second.IsCancellationRequested);
        Assert.False(status.Pause.IsPaused);

        await stop.CancelAsync();
        await run.WaitAsync(Ct);
        Assert.True(second.IsCancellationRequested);
    }

    [Fact]
    public async Task PauseAsync_ServerRefuses_StaysUnpausedAndTheErrorSurfaces()
    {
        var status = new SubscriptionStatus("orders", "ORDERS", "orders");
        status.Pause.OnServer = (_, _) => throw new ImbException("refused") { Kind = ImbErrorKind.Consumer };

        await Assert.ThrowsAsync<ImbException>(() => status.Pause.PauseAsync(Ct));

        Assert.False(status.Pause.IsPaused);
    }

    [Fact]
    public void ReflectServerPause_PausedOnTheServerWhileConsuming_ShowsPausedUntilTheServerResumes()
    {
        var status = new SubscriptionStatus("orders", "ORDERS", "orders");
        status.Set(SubscriptionState.Consuming);

        status.ReflectServerPause(true);
        var paused = status.Snapshot.State;
        status.ReflectServerPause(false);

        Assert.Equal((SubscriptionState.Paused, SubscriptionState.Consuming), (paused, status.Snapshot.State));
    }
}
