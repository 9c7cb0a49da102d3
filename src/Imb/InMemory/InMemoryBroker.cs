using System.Collections.Concurrent;
using System.Threading.Channels;
using Imb.Publishing;
using Imb.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>
/// The in-memory stand-in for a NATS server (Imb:Mode=InMemory): the declared streams and their durable consumers,
/// live subscriptions and request responders, all with NATS subject semantics. One per host.
/// </summary>
internal sealed class InMemoryBroker(IOptions<ImbOptions> options, MessageIds ids, TimeProvider time)
{
    private readonly Lazy<IReadOnlyList<InMemoryStream>> _streams = new(() =>
        [.. options.Value.Streams.Select(s => new InMemoryStream(s.Key, s.Value, ids, time))]);

    private readonly ConcurrentDictionary<(string Stream, string Consumer), InMemoryConsumer> _consumers = new();
    private readonly ConcurrentDictionary<Channel<ReceivedMessage>, string> _live = new();
    private int _listeners; // _live's count, read on every publish (ConcurrentDictionary.IsEmpty is not free)
    private readonly ConcurrentDictionary<object, (string Pattern, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> Handler)> _responders = new();

    private readonly ConcurrentDictionary<string, InMemoryStream?> _capturing = new(StringComparer.Ordinal);

    /// <summary>The stream that captures a subject; remembered for the first 10,000 subjects, which covers any real set.</summary>
    public InMemoryStream? StreamCapturing(string subject)
    {
        if (_capturing.TryGetValue(subject, out var known))
        {
            return known;
        }

        InMemoryStream? found = null;
        foreach (var stream in _streams.Value)
        {
            if (stream.Captures(subject))
            {
                found = stream;
                break;
            }
        }

        if (_capturing.Count < 10_000)
        {
            _capturing[subject] = found;
        }

        return found;
    }

    public InMemoryConsumer Consumer(string subscription, SubscriptionOptions declared)
    {
        var name = declared.Consumer ?? subscription;
        var stream = _streams.Value.FirstOrDefault(s => s.Name == declared.Stream) ?? throw new ImbException(
            $"Stream {declared.Stream} is not declared, so subscription {subscription} has nothing to consume (in-memory mode knows declared streams only).")
        { Kind = ImbErrorKind.NoStream };
        return _consumers.GetOrAdd((stream.Name, name), _ => new InMemoryConsumer(stream, name, declared, time));
    }

    /// <summary>Hands a message to every live subscription whose pattern matches, as core NATS would.</summary>
    /// <summary>Gets a value indicating whether anyone listens, so publishers skip building what nobody reads.</summary>
    public bool HasListeners => Volatile.Read(ref _listeners) > 0;

    public void Broadcast(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? messageId)
    {
        foreach (var (channel, pattern) in _live)
        {
            if (SubjectRules.Matches(pattern, subject))
            {
                channel.Writer.TryWrite(new ReceivedMessage(subject, data, headers, messageId));
            }
        }
    }

    public Channel<ReceivedMessage> Listen(string pattern)
    {
        // Bounded like a core NATS subscription's pending buffer: a reader that falls far behind loses messages, never memory.
        var channel = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(65_536) { FullMode = BoundedChannelFullMode.DropWrite });
        _live[channel] = pattern;
        Interlocked.Increment(ref _listeners);
        return channel;
    }

    public void StopListening(Channel<ReceivedMessage> channel)
    {
        if (_live.TryRemove(channel, out _))
        {
            Interlocked.Decrement(ref _listeners);
        }

        channel.Writer.TryComplete();
    }

    public IDisposable Serve(string pattern, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler)
    {
        var key = new object();
        _responders[key] = (pattern, handler);
        return new Registration(() => _responders.TryRemove(key, out _));
    }

    public Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>>? ResponderFor(string subject) =>
        _responders.Values.Where(r => SubjectRules.Matches(r.Pattern, subject)).Select(r => r.Handler).FirstOrDefault();

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
