namespace Imb.Benchmarks;

/// <summary>
/// Lets one consumer through for a block of messages at a time, so that raw and Imb, both running, take turns in
/// short blocks and meet the same moments of a noisy machine. Used from one consuming loop plus the bench's driver.
/// </summary>
internal sealed class Turn(int block)
{
    private volatile TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _handled;
    private volatile bool _released;

    /// <summary>Waits, in the consuming loop, until it is this side's turn.</summary>
    public ValueTask EnterAsync() => _open.Task.IsCompleted ? ValueTask.CompletedTask : new ValueTask(_open.Task);

    /// <summary>Counts a handled message; the block's last one closes the gate and ends the turn.</summary>
    public void Handled()
    {
        if (++_handled < block)
        {
            return;
        }

        _handled = 0;
        if (!_released)
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _done.TrySetResult();
    }

    /// <summary>Opens the gate for one block; completes when the block is handled.</summary>
    public Task TakeAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _done = done;
        _open.SetResult();
        return done.Task;
    }

    /// <summary>Opens the gate for good, so the consuming loop can finish (and a host stop is not held up).</summary>
    public void Release()
    {
        _released = true;
        _open.TrySetResult();
    }
}
