using Microsoft.Extensions.Time.Testing;

namespace Imb.Tests;

/// <summary>
/// A fake clock that counts the timers started on it (every <c>Task.Delay</c> and <c>PeriodicTimer</c> is one), so a
/// test moves time on only once the code under test waits on it: moved earlier, the wait would start after the move.
/// </summary>
internal sealed class CountingTimeProvider : FakeTimeProvider
{
    private int _timers;

    public int TimersStarted => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
