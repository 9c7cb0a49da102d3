using System.Globalization;
using Microsoft.Extensions.Logging.Testing;

namespace Imb.Tests;

/// <summary>Reads the <c>{Delay}</c> a retry or recovery log line announced, for tests that move a fake clock by it.</summary>
internal static class LoggedDelay
{
    public static TimeSpan Of(FakeLogRecord record) =>
        TimeSpan.Parse(record.StructuredState!.Single(s => s.Key == "Delay").Value!, CultureInfo.InvariantCulture);
}
