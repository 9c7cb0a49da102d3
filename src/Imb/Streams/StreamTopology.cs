using Imb.Connection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Streams;

internal sealed class StreamTopology(ImbConnection connection, StreamProvisioner provisioner, BatchedStreams batched, ILoggerFactory loggerFactory) : IImbTopology
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Streams");

    public async ValueTask<IReadOnlyList<StreamSummary>> ListStreamsAsync(CancellationToken cancellationToken = default)
    {
        var streams = new List<StreamSummary>();
        await foreach (var stream in connection.JetStream.ListStreamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            streams.Add(Summarise(stream.Info));
        }

        return [.. streams.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async ValueTask<StreamSummary> GetStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            var stream = await connection.JetStream.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Summarise(stream.Info);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrorCodes.StreamNotFound)
        {
            throw new ImbException($"Stream {name} does not exist on {connection.Servers}.", e) { Kind = ImbErrorKind.NoStream, ServerErrorCode = e.Error.ErrCode };
        }
    }

    public async ValueTask<StreamSummary> EnsureStreamAsync(string name, StreamOptions options, CancellationToken cancellationToken = default)
    {
        Validate(name, options);
        provisioner.RequireServerFeatures(name, options);
        return Summarise(await provisioner.EnsureAsync(name, options, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<long> PurgeStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireOwned(name, "purge");
        try
        {
            var response = await connection.JetStream.PurgeStreamAsync(name, new StreamPurgeRequest(), cancellationToken).ConfigureAwait(false);
            _logger.StreamPurged(name, response.Purged);
            return response.Purged;
        }
        catch (NatsJSApiException e)
        {
            throw Refused("purge", name, e);
        }
    }

    public async ValueTask DeleteStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireOwned(name, "delete");
        try
        {
            await connection.JetStream.DeleteStreamAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e)
        {
            throw Refused("delete", name, e);
        }

        batched.Forget(name);
        _logger.StreamDeleted(name);
    }

    private ImbException Refused(string action, string name, NatsJSApiException e) =>
        new($"The server at {connection.Servers} refused to {action} stream {name}: {e.Error.Description} (err_code {e.Error.ErrCode}).", e)
        {
            Kind = e.Error.ErrCode == JetStreamErrorCodes.StreamNotFound ? ImbErrorKind.NoStream : ImbErrorKind.Rejected,
            ServerErrorCode = e.Error.ErrCode,
        };

    private void RequireOwned(string name, string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!provisioner.IsOwned(name))
        {
            throw NotOwned(name, action);
        }
    }

    /// <summary>The refusal to change a stream this service does not own, in both modes.</summary>
    public static ImbException NotOwned(string name, string action) => new(
        $"Imb will not {action} stream {name}: this service does not own it (it is neither declared here nor created with EnsureStreamAsync, " +
        "or Imb:Provisioning is VerifyOnly).");

    /// <summary>Checks a stream declared at run time as a declared one is checked at start.</summary>
    public static void Validate(string name, StreamOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        var single = new ImbOptions { DefaultTopology = false, Streams = { [name] = options } };
        var invalid = new StreamsValidator().Validate(null, single);
        if (invalid.Failed)
        {
            throw new ImbException($"Stream {name} is not a valid declaration: {invalid.FailureMessage}") { Kind = ImbErrorKind.Invalid };
        }
    }

    private StreamSummary Summarise(StreamInfo info) => new(
        info.Config.Name!,
        [.. info.Config.Subjects ?? []],
        info.State.Messages,
        info.State.Bytes,
        info.State.FirstSeq,
        info.State.LastSeq,
        info.State.ConsumerCount,
        info.Created,
        provisioner.IsOwned(info.Config.Name!))
    {
        Leader = info.Cluster?.Leader is { Length: > 0 } leader ? leader : null,
        Replicas = [.. (info.Cluster?.Replicas ?? []).Select(r => new StreamReplica(r.Name, r.Current, r.Offline, r.Lag))],
    };
}
