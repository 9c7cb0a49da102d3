using Imb.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Streams;

public sealed class InMemoryStreamSettingsTests
{
    [Fact]
    public async Task Start_InMemoryWithLimitsItDoesNotEnforce_SaysWhichForEachStream()
    {
        await using var host = ImbTestHost.Create(o => { o.Mode = ImbMode.InMemory; o.DefaultTopology = false; }, imb => imb
            .AddStream("LIMITED", s =>
            {
                s.Subjects.Add("limited.>");
                s.MaxAge = TimeSpan.FromMinutes(5);
                s.MaxMessagesPerSubject = 1;
                s.Retention = StreamRetention.WorkQueue;
            })
            .AddStream("PLAIN", s => { s.Subjects.Add("plain.>"); s.MaxMessages = 10; }));
        await host.StartAsync();

        var said = Assert.Single(host.LogsWithEventId(309)).Message;
        Assert.Contains("LIMITED", said, StringComparison.Ordinal);
        Assert.Contains("MaxAge 00:05:00", said, StringComparison.Ordinal);
        Assert.Contains("MaxMessagesPerSubject 1", said, StringComparison.Ordinal);
        Assert.Contains("Retention WorkQueue", said, StringComparison.Ordinal);
    }
}
