using System.Diagnostics;
using System.Threading.Channels;

namespace Imb.Benchmarks;

/// <summary>
/// The plain baseline for the in-memory mode: one producer, one consumer, a System.Threading.Channels channel, a copy
/// of the payload per message (the in-memory stream copies it too), and nothing else: no subjects, ids, acks or log.
/// </summary>
internal sealed class ChannelBaseline(int count)
{
    private readonly byte[] _payload = new byte[128];

    /// <summary>One round: messages a second from the first write until the consumer has read the last.</summary>
    public async Task<double> RunOnceAsync()
    {
        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var consumer = Task.Run(async () =>
        {
            var read = 0;
            while (await channel.Reader.WaitToReadAsync())
            {
                while (channel.Reader.TryRead(out var message))
                {
                    read += message.Length > 0 ? 1 : 0;
                }
            }

            return read;
        });
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            // An unbounded channel takes every write at once; the in-memory publisher is awaited and completes at once too.
            channel.Writer.TryWrite(_payload.ToArray());
        }

        channel.Writer.Complete();
        var read = await consumer;
        var elapsed = Stopwatch.GetElapsedTime(started);
        return read == count ? count / elapsed.TotalSeconds : throw new InvalidOperationException($"The channel baseline read {read} of {count} messages.");
    }
}
