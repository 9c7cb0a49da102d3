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
    // Written under _topology, copied on write: publishers read the current array without a lock.
    private readonly Lock _topology = new();
    private InMemoryStream[]? _streams;
    private readonly ConcurrentDictionary<(string Stream, string Consumer), InMemoryConsumer> _consumers = new();
    private readonly ConcurrentDictionary<Channel<ReceivedMessage>, string> _live = new();
    private int _listeners; // _live's count, read on every publish (ConcurrentDictionary.IsEmpty is not free)
    private readonly ConcurrentDictionary<object, (string Pattern, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> Handler)> _responders = new();

    // Replaced (not cleared) when the streams change, and read before them: a lookup that raced a change can only
    // fill the dictionary that was dropped.
    private ConcurrentDictionary<string, InMemoryStream?> _capturing = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Gets a number that changes whenever a stream is added or deleted, so a publisher knows its cached route is stale.</summary>
    public int TopologyVersion => Volatile.Read(ref _version);

    /// <summary>Gets the streams, in the order they were declared or created.</summary>
    public IReadOnlyList<InMemoryStream> Streams => Volatile.Read(ref _streams) ?? DeclaredStreams();

    public InMemoryStream? Find(string name) => Streams.FirstOrDefault(s => s.Name == name);

    /// <summary>The stream that captures a subject; remembered for the first 10,000 subjects, which covers any real set.</summary>
    public InMemoryStream? StreamCapturing(string subject)
    {
        var capturing = Volatile.Read(ref _capturing);
        if (capturing.TryGetValue(subject, out var known))
        {
            return known;
        }

        InMemoryStream? found = null;
        foreach (var stream in Streams)
        {
            if (stream.Captures(subject))
            {
                found = stream;
                break;
            }
        }

        if (capturing.Count < 10_000)
        {
            capturing[subject] = found;
        }

        return found;
    }

    /// <summary>Adds a stream declared at run time, or changes an existing one's settings; returns it.</summary>
    public InMemoryStream Ensure(string name, StreamOptions declared)
    {
        lock (_topology)
        {
            var streams = Streams;
            foreach (var other in streams.Where(s => s.Name != name))
            {
                var clash = declared.Subjects.SelectMany(mine => other.Subjects.Where(theirs => SubjectRules.Overlap(mine, theirs)).Select(theirs => (mine, theirs))).FirstOrDefault();
                if (clash.mine is not null)
                {
                    throw new ImbException(
                        $"Stream {name} subject '{clash.mine}' overlaps subject '{clash.theirs}' of stream {other.Name}, which already exists in memory.")
                    { Kind = ImbErrorKind.Invalid };
                }
            }

            if (streams.FirstOrDefault(s => s.Name == name) is { } existing)
            {
                existing.Reconfigure(declared);
                Changed([.. streams]);
                return existing;
            }

            var stream = new InMemoryStream(name, declared, ids, time);
            Changed([.. streams, stream]);
            return stream;
        }
    }

    /// <summary>Removes a stream with its messages and consumers; false if there is none of that name.</summary>
    public bool Delete(string name)
    {
        lock (_topology)
        {
            var streams = Streams;
            if (streams.FirstOrDefault(s => s.Name == name) is not { } stream)
            {
                return false;
            }

            stream.Delete();
            foreach (var key in _consumers.Keys.Where(k => k.Stream == name))
            {
                _consumers.TryRemove(key, out _);
            }

            Changed([.. streams.Where(s => s != stream)]);
            return true;
        }
    }

    private void Changed(InMemoryStream[] streams)
    {
        Volatile.Write(ref _streams, streams);
        Volatile.Write(ref _capturing, new ConcurrentDictionary<string, InMemoryStream?>(StringComparer.Ordinal));
        Interlocked.Increment(ref _version);
    }

    private InMemoryStream[] DeclaredStreams()
    {
        lock (_topology)
        {
            return _streams ??= [.. options.Value.Streams.Select(s => new InMemoryStream(s.Key, s.Value, ids, time))];
        }
    }

    public InMemoryConsumer Consumer(string subscription, SubscriptionOptions declared)
    {
        var name = declared.Consumer ?? subscription;
        var stream = Find(declared.Stream) ?? throw new ImbException(
            $"Stream {declared.Stream} is not declared, so subscription {subscription} has nothing to consume (in-memory mode knows declared streams only).")
        { Kind = ImbErrorKind.NoStream };
        lock (_topology)
        {
            if (!_consumers.TryGetValue((stream.Name, name), out var consumer))
            {
                consumer = new InMemoryConsumer(stream, name, declared, time);
                stream.Attach(consumer);
                _consumers[(stream.Name, name)] = consumer;
            }

            return consumer;
        }
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
