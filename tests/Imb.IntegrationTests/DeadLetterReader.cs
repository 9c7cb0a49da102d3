using Imb.Streams;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.IntegrationTests;

/// <summary>Reads a stream (dead letters: IMB_DLQ) through a short-lived named consumer (nats-server 2.9 refuses a filtered create without a name).</summary>
internal static class DeadLetterReader
{
    public static Task<IReadOnlyList<INatsJSMsg<byte[]>>> ReadAsync(INatsJSContext jetStream, string filterSubject, CancellationToken cancellationToken) =>
        ReadAsync(jetStream, DefaultTopology.DeadLetters, filterSubject, cancellationToken);

    /// <summary>Reads every message of <paramref name="stream"/> on <paramref name="filterSubject"/> stored now, oldest first.</summary>
    public static async Task<IReadOnlyList<INatsJSMsg<byte[]>>> ReadAsync(INatsJSContext jetStream, string stream, string filterSubject, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            Name = "reader_" + Guid.NewGuid().ToString("N")[..8],
            FilterSubject = filterSubject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = TimeSpan.FromMinutes(1),
        };
        var consumer = await jetStream.CreateOrUpdateConsumerAsync(stream, config, cancellationToken);
        var letters = new List<INatsJSMsg<byte[]>>();
        await foreach (var letter in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 10_000 }, cancellationToken: cancellationToken))
        {
            letters.Add(letter);
        }

        return letters;
    }
}
