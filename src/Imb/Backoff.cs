namespace Imb;

/// <summary>Exponential backoff, the one formula every retry and recovery loop of Imb uses.</summary>
internal static class Backoff
{
    /// <summary>The delay after <paramref name="delay"/>: twice as long, at most <paramref name="max"/>.</summary>
    public static TimeSpan Next(TimeSpan delay, TimeSpan max) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));

    /// <summary>The delay before attempt <paramref name="attempt"/> (1 is the first): <paramref name="first"/> doubled per attempt since, at most <paramref name="max"/>.</summary>
    public static TimeSpan ForAttempt(TimeSpan first, int attempt, TimeSpan max)
    {
        // Doubling stops early: 2^30 times any delay is past every cap we accept.
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * (double)(1L << exponent), max.Ticks));
    }
}
