using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// The messages a subscription's handlers are working on, one slot per handler, so that one timer can keep every
/// long-running message alive with progress acks instead of a timer per message.
/// </summary>
internal sealed class InFlightMessages(int slots, TimeProvider time)
{
    private readonly Slot[] _slots = [.. Enumerable.Range(0, slots).Select(_ => new Slot())];

    public int Count => _slots.Count(s => s.Message is not null);

    public void Begin(int slot, INatsJSMsg<ReadOnlyMemory<byte>> message)
    {
        var entry = _slots[slot];
        entry.LastSignal = time.GetTimestamp();
        entry.Message = message;
    }

    public void End(int slot) => _slots[slot].Message = null;

    /// <summary>Sends a progress ack for every message last signalled at least <paramref name="interval"/> ago.</summary>
    /// <returns>The messages whose progress ack failed, for the log.</returns>
    public async Task<IReadOnlyList<(INatsJSMsg<ReadOnlyMemory<byte>> Message, Exception Error)>> SignalProgressAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        List<(INatsJSMsg<ReadOnlyMemory<byte>>, Exception)>? failures = null;
        foreach (var entry in _slots)
        {
            // A slot read while its handler moves on may pair a new message with an old time: at worst one progress
            // ack too early, or one for a message already acked, which the server ignores.
            if (entry.Message is not { } message || time.GetElapsedTime(entry.LastSignal) < interval)
            {
                continue;
            }

            try
            {
                await message.AckProgressAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                entry.LastSignal = time.GetTimestamp();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add((message, e));
            }
        }

        return failures ?? (IReadOnlyList<(INatsJSMsg<ReadOnlyMemory<byte>>, Exception)>)[];
    }

    /// <summary>One handler's current message; written by the handler, read by the progress timer.</summary>
    private sealed class Slot
    {
        private INatsJSMsg<ReadOnlyMemory<byte>>? _message;
        private long _lastSignal;

        public INatsJSMsg<ReadOnlyMemory<byte>>? Message
        {
            get => Volatile.Read(ref _message);
            set => Volatile.Write(ref _message, value);
        }

        public long LastSignal
        {
            get => Volatile.Read(ref _lastSignal);
            set => Volatile.Write(ref _lastSignal, value);
        }
    }
}
