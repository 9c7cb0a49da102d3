using Imb.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.InMemory;

/// <summary>
/// <see cref="IImbTopology"/> over the in-memory broker, with the rules of the NATS one: every stream can be listed
/// and read; a service owns the streams it declared or ensured (unless Imb:Provisioning is VerifyOnly), and only those
/// may be purged or deleted.
/// </summary>
internal sealed class InMemoryTopology(InMemoryBroker broker, IOptions<ImbOptions> options, ILoggerFactory loggerFactory) : IImbTopology
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Streams");
    private readonly HashSet<string> _ensured = new(StringComparer.Ordinal);

    public ValueTask<IReadOnlyList<StreamSummary>> ListStreamsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<StreamSummary>>([.. broker.Streams.Select(Summarise).OrderBy(s => s.Name, StringComparer.Ordinal)]);

    public ValueTask<StreamSummary> GetStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ValueTask.FromResult(Summarise(broker.Find(name) ?? throw Missing(name)));
    }

    public ValueTask<StreamSummary> EnsureStreamAsync(string name, StreamOptions options, CancellationToken cancellationToken = default)
    {
        StreamTopology.Validate(name, options);
        var stream = broker.Ensure(name, options);
        lock (_ensured)
        {
            _ensured.Add(name);
        }

        return ValueTask.FromResult(Summarise(stream));
    }

    public ValueTask<long> PurgeStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireOwned(name, "purge");
        var purged = (broker.Find(name) ?? throw Missing(name)).Purge();
        _logger.StreamPurged(name, purged);
        return ValueTask.FromResult(purged);
    }

    public ValueTask DeleteStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireOwned(name, "delete");
        if (!broker.Delete(name))
        {
            throw Missing(name);
        }

        _logger.StreamDeleted(name);
        return ValueTask.CompletedTask;
    }

    private bool IsOwned(string name)
    {
        if (options.Value.Provisioning != ProvisioningMode.CreateOrUpdate)
        {
            return false;
        }

        lock (_ensured)
        {
            return options.Value.Streams.ContainsKey(name) || _ensured.Contains(name);
        }
    }

    private void RequireOwned(string name, string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!IsOwned(name))
        {
            throw StreamTopology.NotOwned(name, action);
        }
    }

    private static ImbException Missing(string name) => new($"Stream {name} does not exist in memory.") { Kind = ImbErrorKind.NoStream };

    private StreamSummary Summarise(InMemoryStream stream)
    {
        var (messages, bytes, first, last) = stream.State;
        return new StreamSummary(stream.Name, [.. stream.Subjects], messages, bytes, first, last, stream.ConsumerCount, stream.Created, IsOwned(stream.Name));
    }
}
