namespace Imb.Diagnostics;

/// <summary>Counts per second over the last minute, for a rate that forgets: sixty one-second buckets, reused as time moves on.</summary>
internal sealed class RateWindow(TimeProvider time)
{
    private const int Seconds = 60;
    private readonly Lock _gate = new();
    private readonly long[] _counts = new long[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly long _origin = time.GetTimestamp();

    public void Add()
    {
        var second = Now();
        var bucket = (int)(second % Seconds);
        lock (_gate)
        {
            if (_stamps[bucket] != second)
            {
                _stamps[bucket] = second;
                _counts[bucket] = 0;
            }

            _counts[bucket]++;
        }
    }

    /// <summary>Gets the mean rate per second over the last minute, or over the time since the start when shorter.</summary>
    public double PerSecond()
    {
        var now = Now();
        long sum = 0;
        lock (_gate)
        {
            for (var i = 0; i < Seconds; i++)
            {
                // A bucket counts when it belongs to this second or one of the 59 before it.
                if (_stamps[i] > now - Seconds && _stamps[i] <= now)
                {
                    sum += _counts[i];
                }
            }
        }

        var elapsed = Math.Min(Seconds, time.GetElapsedTime(_origin).TotalSeconds);
        return elapsed <= 0 ? 0 : sum / Math.Max(elapsed, 1);
    }

    // Seconds since the window began, from 1, so that a zeroed stamp never matches.
    private long Now() => (long)time.GetElapsedTime(_origin).TotalSeconds + 1;
}
