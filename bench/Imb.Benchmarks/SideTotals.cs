namespace Imb.Benchmarks;

/// <summary>One side's counted turns in a scenario taken in strict turns: messages, its own time, and allocation.</summary>
internal sealed class SideTotals
{
    private long _messages;
    private TimeSpan _time;
    private long _bytes;

    public int Turns { get; private set; }

    /// <summary>Gets all the side's messages over all its own time.</summary>
    public double Rate => _messages / _time.TotalSeconds;

    public double BytesPerMessage => (double)_bytes / _messages;

    public void Add(int messages, TimeSpan time, long bytes = 0)
    {
        Turns++;
        _messages += messages;
        _time += time;
        _bytes += bytes;
    }
}
