using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// The messages a subscription's handlers are working on, one slot per handler, so that one timer can keep every
/// long-running message alive with progress acks instead of a timer per message.
/// </summary>
internal sealed class InFlightMessages(int slots, TimeProvider time)
{
    private readonly Entry?[] _slots = new Entry?[slots];

    public int Count => _slots.Count(e => e is not null);

    public void Begin(int slot, INatsJSMsg<ReadOnlyMemory<byte>> message) => Volatile.Write(ref _slots[slot], new Entry(message, time.GetTimestamp()));

    public void End(int slot) => Volatile.Write(ref _slots[slot], null);

    /// <summary>Sends a progress ack for every message last signalled at least <paramref name="interval"/> ago.</summary>
    /// <returns>The messages whose progress ack failed, for the log.</returns>
    public async Task<IReadOnlyList<(INatsJSMsg<ReadOnlyMemory<byte>> Message, Exception Error)>> SignalProgressAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        List<(INatsJSMsg<ReadOnlyMemory<byte>>, Exception)>? failures = null;
        for (var i = 0; i < _slots.Length; i++)
        {
            var entry = Volatile.Read(ref _slots[i]);
            if (entry is null || time.GetElapsedTime(entry.LastSignal) < interval)
            {
                continue;
            }

            try
            {
                await entry.Message.AckProgressAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                entry.LastSignal = time.GetTimestamp();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add((entry.Message, e));
            }
        }

        return failures ?? (IReadOnlyList<(INatsJSMsg<ReadOnlyMemory<byte>>, Exception)>)[];
    }

    private sealed class Entry(INatsJSMsg<ReadOnlyMemory<byte>> message, long started)
    {
        public INatsJSMsg<ReadOnlyMemory<byte>> Message { get; } = message;

        public long LastSignal { get; set; } = started;
    }
}
