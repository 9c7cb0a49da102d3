using Microsoft.Extensions.DependencyInjection;

namespace Imb.Benchmarks;

/// <summary>
/// Pipelined publishing into a stream that allows fast-ingest batches (nats-server 2.14+): Imb's EnqueueAsync sends
/// batches answered by flow acks; raw NATS.Net 3.3.2 has no batch publisher, so its side is PublishConcurrentAsync
/// into the same stream, the same way as the async publish scenario.
/// </summary>
internal sealed class FastIngestScenario(BenchContext context, int asyncCount)
{
    public const string Stream = "BENCH_FAST";
    public const string Subject = "benchfast.msg";

    private static readonly Version Needed = new(2, 14, 0);

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        if (!Version.TryParse(context.ServerVersion.Split('-')[0], out var version) || version < Needed)
        {
            Console.Error.WriteLine($"  async publish (fast-ingest): not run, nats-server {context.ServerVersion} has no fast-ingest batches (2.14+)");
            return [];
        }

        var host = await context.StartHostAsync(imb => imb.AddStream(Stream, s =>
        {
            s.Subjects.Add("benchfast.>");
            s.AllowBatched = true;
        }));
        try
        {
            var bus = host.Services.GetRequiredService<IMessageBus>();
            var (raw, imb) = await new PublishScenarios(context, 0, 0).RunAsyncInTurnsAsync(bus, Stream, Subject, rounds * asyncCount, "async publish (fast-ingest)");
            return [new("async fast-ingest", "msg/s", raw, imb, true)];
        }
        finally
        {
            await BenchContext.StopHostAsync(host);
        }
    }
}
