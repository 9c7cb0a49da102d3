using Imb.Connection;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.Server;

/// <summary>
/// The supervised nats-server child process of <see cref="ImbMode.Embedded"/>: owns the store directory lock,
/// writes the configuration, restarts the server with backoff when it dies, and stops it with the host.
/// </summary>
internal sealed class EmbeddedNatsServer : IAsyncDisposable
{
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly EmbeddedServerOptions _options;
    private readonly string _contentRoot;
    private readonly ILogger _logger;
    private readonly ILogger _serverLog;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private StoreDirectoryLock? _lock;
    private NatsServerProcess? _process;
    private NatsServerLaunch? _launch;
    private Task _supervision = Task.CompletedTask;

    public EmbeddedNatsServer(IOptions<ImbOptions> options, ILoggerFactory loggerFactory, TimeProvider time, IHostEnvironment? environment = null)
    {
        _options = options.Value.Embedded;
        _contentRoot = environment?.ContentRootPath ?? Directory.GetCurrentDirectory();
        _logger = loggerFactory.CreateLogger("Imb.EmbeddedServer");
        _serverLog = loggerFactory.CreateLogger("Imb.Server");
        _time = time;
    }

    /// <summary>Gets the URL clients connect to; stable across restarts.</summary>
    public Uri ClientUrl => _process?.ClientUrl ?? throw new InvalidOperationException("The embedded nats-server has not been started.");

    /// <summary>Gets the pid of the current server process, or <see langword="null"/> when none runs.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.ProcessId : null;

    /// <summary>Gets the store directory in use.</summary>
    public string StoreDirectory => Path.GetFullPath(_options.StoreDirectory, _contentRoot);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = StoreDirectory;
        var runtime = StoreDirectoryLock.RuntimeDirectoryOf(store);
        // PATH is the OS's executable search, not configuration: the same lookup a shell would make.
        _launch = NatsServerLaunch.Create(
            _options.ServerPath, Environment.GetEnvironmentVariable("PATH"), Path.Combine(runtime, "nats-server.conf"), runtime, _options.StartTimeout);
        _logger.ServerStarting(_launch.ServerPath, store);
        await RequireVersionForAsync(_launch.ServerPath, cancellationToken).ConfigureAwait(false);
        _lock = StoreDirectoryLock.Acquire(store, _logger);
        await ReclaimOrphanAsync(store, cancellationToken).ConfigureAwait(false);

        var config = new NatsServerConfig
        {
            ServerName = $"imb-{Environment.MachineName}-{Environment.ProcessId}",
            Port = _options.Port == 0 ? NatsServerConfig.RandomPort : _options.Port,
            StoreDirectory = store,
            PidFile = _lock.ServerPidFile,
            IncludeFile = _options.ConfigFile is null ? null : Path.GetFullPath(_options.ConfigFile, _contentRoot),
            SyncAlways = _options.SyncAlways,
        };
        await WriteConfigAsync(config, cancellationToken).ConfigureAwait(false);

        var started = _time.GetTimestamp();
        _process = await NatsServerProcess.StartAsync(_launch, _serverLog, _time, cancellationToken).ConfigureAwait(false);
        var elapsed = _time.GetElapsedTime(started);
        _logger.ServerStarted(_process.ProcessId, _process.ClientUrl, elapsed);

        // Restarts must come back on the same port, so clients reconnect to the URL they know.
        await WriteConfigAsync(config with { Port = _process.ClientUrl.Port }, cancellationToken).ConfigureAwait(false);
        _supervision = SuperviseAsync(_stopping.Token);
    }

    /// <summary>Gets the server's monitoring endpoint on loopback (varz, healthz).</summary>
    public Uri MonitoringUrl => _process?.MonitoringUrl ?? throw new InvalidOperationException("The embedded nats-server has not been started.");

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervision.ConfigureAwait(false);
        if (_process is { } process)
        {
            _logger.ServerStopping(process.ProcessId);
            if (await process.StopAsync(_options.StopTimeout, _time, cancellationToken).ConfigureAwait(false))
            {
                _logger.ServerStopped(process.ProcessId, process.ExitCode);
            }
            else
            {
                _logger.ServerKilled(process.ProcessId, _options.StopTimeout);
            }

            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }

        _lock?.Dispose();
        _lock = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested && _process is { } process)
        {
            try
            {
                await process.Exited.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            _logger.ServerExitedUnexpectedly(process.ProcessId, process.ExitCode, process.LastOutput);
            await process.DisposeAsync().ConfigureAwait(false);
            _process = await RestartAsync(process.ClientUrl, stopping).ConfigureAwait(false);
        }
    }

    private async Task<NatsServerProcess?> RestartAsync(Uri clientUrl, CancellationToken stopping)
    {
        var delay = FirstRestartDelay;
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            attempt++;
            _logger.ServerRestarting(clientUrl.Port, delay, attempt);
            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
                var restarted = await NatsServerProcess.StartAsync(_launch!, _serverLog, _time, stopping).ConfigureAwait(false);
                _logger.ServerRestarted(restarted.ProcessId, restarted.ClientUrl);
                return restarted;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (ImbException e)
            {
                _logger.ServerRestartFailed(e, clientUrl.Port, attempt);
                delay = Backoff.Next(delay, MaxRestartDelay);
            }
        }

        return null;
    }

    // nats-server 2.9 refuses to start on a setting it does not know, with only "unknown field": say which, and why.
    private async Task RequireVersionForAsync(string serverPath, CancellationToken cancellationToken)
    {
        if (!_options.SyncAlways)
        {
            return;
        }

        var version = await ServerBinary.ReadVersionAsync(serverPath, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (!ServerFeatureGate.Supports(version, ServerFeature.SyncAlways))
        {
            throw new ImbException(
                $"Imb:Embedded:SyncAlways needs nats-server {ServerFeature.SyncAlways.MinimumVersion} or later (jetstream sync_interval: always); " +
                $"{serverPath} is {version}. Remove the setting, or set Imb:Embedded:ServerPath to a newer nats-server.")
            { Kind = ImbErrorKind.Invalid };
        }
    }

    private async Task ReclaimOrphanAsync(string store, CancellationToken cancellationToken)
    {
        if (_lock!.FindOrphanedServer() is not { } pid)
        {
            return;
        }

        PosixSignal.Send(pid, PosixSignal.Terminate);
        using var orphan = Process.GetProcessById(pid);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(_options.StopTimeout);
        try
        {
            await orphan.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // It must be gone before our server binds its port and opens its store.
            PosixSignal.Send(pid, PosixSignal.Kill);
            await orphan.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        _logger.OrphanReclaimed(pid, store);
    }

    private async Task WriteConfigAsync(NatsServerConfig config, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(_launch!.ConfigFile, config.Render(_lock!.RuntimeDirectory), cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            // An included configuration may hold credentials: readable by this user only.
            File.SetUnixFileMode(_launch.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
