using System.Collections.Concurrent;
using Imb.Connection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Streams;

/// <summary>
/// Makes the streams on the server match their declarations: creates what is missing and applies compatible
/// changes (CreateOrUpdate), or only checks (VerifyOnly). Never deletes or recreates. Every write is read back,
/// since an older server silently drops fields it does not know.
/// </summary>
internal sealed class StreamProvisioner(ImbConnection connection, BatchedStreams batched, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Streams");
    private readonly ConcurrentDictionary<string, bool> _owned = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _provisioned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes once the declared topology is in place; publishing waits for it.</summary>
    public Task Provisioned => _provisioned.Task;

    public ProvisioningMode Mode => options.Value.Provisioning;

    public bool IsOwned(string stream) => Mode == ProvisioningMode.CreateOrUpdate && _owned.ContainsKey(stream);

    public async Task ProvisionDeclaredAsync(CancellationToken cancellationToken)
    {
        var streams = options.Value.Streams;
        var started = time.GetTimestamp();
        _logger.ProvisioningStarted(streams.Count, Mode, connection.Servers);
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProvisionOnceAsync(streams, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ImbException e) when (NatsFailures.IsUnavailable(e.InnerException) && connection.JetStreamPermissionDenied is null &&
                time.GetElapsedTime(started) + delay < options.Value.ProvisioningTimeout)
            {
                _logger.ProvisioningRetrying(attempt, delay, e.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = Backoff.Next(delay, TimeSpan.FromSeconds(2));
            }
            catch (Exception e)
            {
                _provisioned.TrySetException(e);
                throw;
            }
        }

        var elapsed = time.GetElapsedTime(started);
        _logger.ProvisioningCompleted(streams.Count, elapsed);
        _provisioned.TrySetResult();
    }

    private async Task ProvisionOnceAsync(IDictionary<string, StreamOptions> streams, CancellationToken cancellationToken)
    {
        foreach (var (name, declared) in streams)
        {
            RequireServerFeatures(name, declared);
        }

        await RequireNoOverlapWithServerAsync(streams, cancellationToken).ConfigureAwait(false);
        foreach (var (name, declared) in streams)
        {
            await EnsureAsync(name, declared, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Brings one stream in line with its declaration and returns what the server holds afterwards.</summary>
    public async Task<StreamInfo> EnsureAsync(string name, StreamOptions declared, CancellationToken cancellationToken)
    {
        var info = await SettleAsync(name, declared, cancellationToken).ConfigureAwait(false);
        batched.Track(info.Config);
        return info;
    }

    private async Task<StreamInfo> SettleAsync(string name, StreamOptions declared, CancellationToken cancellationToken)
    {
        var desired = StreamConfigMapper.ToConfig(name, declared);
        var actual = await TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        var wrote = false;
        if (actual is null)
        {
            if (Mode == ProvisioningMode.VerifyOnly)
            {
                throw new ImbException(
                    $"Stream {name} does not exist on {connection.Servers}, and Imb:Provisioning is VerifyOnly, so Imb may not create it. " +
                    "Create it, or start the service that owns it (Imb:Provisioning=CreateOrUpdate) first.")
                { Kind = ImbErrorKind.NoStream };
            }

            (actual, wrote) = await CreateAsync(desired, cancellationToken).ConfigureAwait(false);
        }

        _owned[name] = true;
        var differences = StreamConfigMapper.Compare(desired, actual.Config);
        if (differences.Count == 0)
        {
            LogSettled(name, wrote);
            return actual;
        }

        foreach (var difference in differences)
        {
            _logger.StreamFieldDrift(name, difference.Field, difference.Desired, difference.Actual);
        }

        if (wrote || Mode == ProvisioningMode.VerifyOnly || differences.Any(d => !d.Mutable))
        {
            throw Refusal(name, differences, wrote);
        }

        await UpdateAsync(name, StreamConfigMapper.Apply(actual.Config, declared), cancellationToken).ConfigureAwait(false);
        _logger.StreamUpdated(name, differences.Count);
        var readBack = await TryGetAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new ImbException($"Stream {name} vanished from {connection.Servers} while Imb updated it.");
        var kept = StreamConfigMapper.Compare(desired, readBack.Config);
        return kept.Count == 0 ? readBack : throw Refusal(name, kept, wrote: true);
    }

    private void LogSettled(string name, bool created)
    {
        if (created)
        {
            return;
        }

        if (Mode == ProvisioningMode.VerifyOnly)
        {
            _logger.StreamVerified(name);
        }
        else
        {
            _logger.StreamUpToDate(name);
        }
    }

    private ImbException Refusal(string name, IReadOnlyList<StreamFieldDifference> differences, bool wrote)
    {
        var list = string.Join("; ", differences);
        if (wrote)
        {
            return new ImbException(
                $"nats-server {connection.ServerVersion} at {connection.Servers} did not keep stream {name} as declared ({list}); " +
                "it does not support those settings. Remove them from the declaration or upgrade the server.");
        }

        if (Mode == ProvisioningMode.VerifyOnly)
        {
            return new ImbException($"Stream {name} on {connection.Servers} differs from its declaration ({list}), and Imb:Provisioning is VerifyOnly, so Imb may not change it.");
        }

        var fixedFields = string.Join(", ", differences.Where(d => !d.Mutable).Select(d => d.Field));
        return new ImbException(
            $"Stream {name} on {connection.Servers} cannot be changed in place: {fixedFields} cannot change once a stream exists ({list}). " +
            "Imb never deletes and recreates a stream: migrate it by hand or keep the declared value.");
    }

    private async Task<(StreamInfo Info, bool Created)> CreateAsync(StreamConfig desired, CancellationToken cancellationToken)
    {
        try
        {
            var created = await connection.JetStream.CreateStreamAsync(desired, cancellationToken).ConfigureAwait(false);
            var subjects = string.Join(", ", desired.Subjects ?? []);
            _logger.StreamCreated(desired.Name!, subjects);
            return (created.Info, true);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrorCodes.StreamNameInUse)
        {
            // Another instance created it between our look-up and our create: continue with its stream.
            var info = await TryGetAsync(desired.Name!, cancellationToken).ConfigureAwait(false);
            return (info ?? throw Rejected("create", desired.Name!, e), false);
        }
        catch (NatsJSApiException e)
        {
            throw Rejected("create", desired.Name!, e, desired);
        }
        catch (Exception e) when (NatsFailures.IsNoAnswer(e))
        {
            throw NoAnswer("create", desired.Name!, e);
        }
    }

    private async Task UpdateAsync(string name, StreamConfig config, CancellationToken cancellationToken)
    {
        try
        {
            await connection.JetStream.UpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e)
        {
            throw Rejected("update", name, e, config);
        }
        catch (Exception e) when (NatsFailures.IsNoAnswer(e))
        {
            throw NoAnswer("update", name, e);
        }
    }

    private async Task<StreamInfo?> TryGetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await connection.JetStream.GetStreamAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return stream.Info;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrorCodes.StreamNotFound)
        {
            return null;
        }
        catch (NatsJSApiException e)
        {
            throw Rejected("read", name, e);
        }
        catch (Exception e) when (NatsFailures.IsNoAnswer(e))
        {
            throw NoAnswer("read", name, e);
        }
    }

    /// <summary>Refuses settings the connected server would silently ignore; before any write, for declared and run-time streams alike.</summary>
    public void RequireServerFeatures(string name, StreamOptions declared)
    {
        var requestedBy = $"Stream {name}";
        if (declared.Compressed)
        {
            ServerFeatureGate.Require(connection.ServerVersion, connection.Servers, ServerFeature.StreamCompression, requestedBy);
        }

        if (declared.Metadata.Count > 0)
        {
            ServerFeatureGate.Require(connection.ServerVersion, connection.Servers, ServerFeature.StreamMetadata, requestedBy);
        }

        if (declared.SubjectTransform is not null)
        {
            ServerFeatureGate.Require(connection.ServerVersion, connection.Servers, ServerFeature.StreamSubjectTransform, requestedBy);
        }

        if (declared.AllowBatched)
        {
            ServerFeatureGate.Require(connection.ServerVersion, connection.Servers, ServerFeature.FastIngestBatches, requestedBy);
        }
    }

    private async Task RequireNoOverlapWithServerAsync(IDictionary<string, StreamOptions> declared, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var stream in connection.JetStream.ListStreamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var other = stream.Info.Config;
                foreach (var (name, options) in declared.Where(d => d.Key != other.Name))
                {
                    var clash = options.Subjects.SelectMany(mine => (other.Subjects ?? []).Where(theirs => SubjectRules.Overlap(mine, theirs)).Select(theirs => (mine, theirs))).FirstOrDefault();
                    if (clash != default)
                    {
                        throw new ImbException(
                            $"Stream {name} subject '{clash.mine}' overlaps subject '{clash.theirs}' of stream {other.Name}, which already exists on {connection.Servers}. " +
                            "A message may be stored by one stream only: change the declared subjects.");
                    }
                }
            }
        }
        catch (NatsJSApiException e)
        {
            throw Rejected("list", "(all)", e);
        }
        catch (Exception e) when (NatsFailures.IsNoAnswer(e))
        {
            throw NoAnswer("list", "(all)", e);
        }
    }

    private ImbException Rejected(string action, string name, NatsJSApiException e, StreamConfig? config = null) =>
        new($"The server at {connection.Servers} refused to {action} stream {name}: {e.Error.Description} (code {e.Error.Code}, err_code {e.Error.ErrCode}).{PlacementHint(e, config)}", e)
        {
            ServerErrorCode = e.Error.ErrCode,
        };

    // "No suitable peers" names neither the replicas nor the placement asked for; the declaration does.
    private static string PlacementHint(NatsJSApiException e, StreamConfig? config) =>
        e.Error.ErrCode != JetStreamErrorCodes.NoSuitablePeers || config is null ? string.Empty :
            $" Declared: Replicas {config.NumReplicas}" +
            (config.Placement is { Cluster.Length: > 0 } p ? $", Placement:Cluster {p.Cluster}" : string.Empty) +
            (config.Placement is { Tags.Count: > 0 } t ? $", Placement:Tags {string.Join(",", t.Tags)}" : string.Empty) + ".";

    private ImbException NoAnswer(string action, string name, Exception e) =>
        new($"The server at {connection.Servers} did not answer the request to {action} stream {name} ({e.Message}). " +
            "The credentials may lack permission for the $JS.API subjects; with credentials that cannot manage streams, use Imb:Provisioning=VerifyOnly.", e);
}
