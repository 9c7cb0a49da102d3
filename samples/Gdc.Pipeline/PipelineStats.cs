namespace Gdc.Pipeline;

/// <summary>How many events each stage handled in this process, for the progress display.</summary>
internal sealed class PipelineStats
{
    private long _planned;
    private long _executed;
    private long _completed;

    public long PlannedCount => Interlocked.Read(ref _planned);

    public long ExecutedCount => Interlocked.Read(ref _executed);

    public long CompletedCount => Interlocked.Read(ref _completed);

    public void Planned() => Interlocked.Increment(ref _planned);

    public void Executed() => Interlocked.Increment(ref _executed);

    public void Completed() => Interlocked.Increment(ref _completed);
}
