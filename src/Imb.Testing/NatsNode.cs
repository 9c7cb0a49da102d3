using Imb.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imb.Testing;

/// <summary>
/// One nats-server process on 127.0.0.1 for tests, on Imb's own launcher: a fixed port and store that survive
/// <see cref="KillAsync"/> and <see cref="RestartAsync"/>, and <see cref="PauseAsync"/>/<see cref="Resume"/> (SIGSTOP/SIGCONT).
/// </summary>
public sealed class NatsNode : IAsyncDisposable
{
    private readonly NatsServerLaunch _launch;
    private NatsServerProcess _process;

    private NatsNode(string name, NatsServerLaunch launch, NatsServerProcess process, string storeDirectory)
    {
        Name = name;
        _launch = launch;
        _process = process;
        StoreDirectory = storeDirectory;
    }

    /// <summary>Gets the node's server name.</summary>
    public string Name { get; }

    /// <summary>Gets the client URL, stable across restarts.</summary>
    public string Url => _process.ClientUrl.ToString().TrimEnd('/');

    /// <summary>Gets the client port.</summary>
    public int Port => _process.ClientUrl.Port;

    /// <summary>Gets the pid of the running process.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Gets a value indicating whether the process is running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Gets the last lines the process printed, for a failure message.</summary>
    internal string LastOutput => _process.LastOutput;

    /// <summary>Gets the JetStream store directory.</summary>
    public string StoreDirectory { get; }

    /// <summary>Starts a node.</summary>
    /// <param name="name">The server name.</param>
    /// <param name="directory">A directory the node owns (store, configuration, ports file).</param>
    /// <param name="port">The client port, or 0 for a free one.</param>
    /// <param name="extraConfig">Extra configuration lines (authorization, TLS, cluster); an <c>include</c> in them resolves against <paramref name="directory"/>.</param>
    /// <param name="workingDirectory">Where relative paths in <paramref name="extraConfig"/> resolve (certificates).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running node.</returns>
    public static async Task<NatsNode> StartAsync(
        string name, string directory, int port = 0, string? extraConfig = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var store = Path.Combine(directory, "store");
        var configFile = Path.Combine(directory, "nats-server.conf");
        string? include = null;
        if (extraConfig is not null)
        {
            include = Path.Combine(directory, "extra.conf");
            await File.WriteAllTextAsync(include, extraConfig, cancellationToken).ConfigureAwait(false);
        }

        var config = new NatsServerConfig
        {
            ServerName = name,
            Port = port == 0 ? NatsServerConfig.RandomPort : port,
            StoreDirectory = store,
            PidFile = Path.Combine(directory, "nats-server.pid"),
            IncludeFile = include,
        };
        await File.WriteAllTextAsync(configFile, config.Render(directory), cancellationToken).ConfigureAwait(false);
        var launch = NatsServerLaunch.Create(
            ServerFromEnvironment(),
            Environment.GetEnvironmentVariable("PATH"), configFile, directory, TimeSpan.FromSeconds(30), workingDirectory);
        var process = await NatsServerProcess.StartAsync(launch, NullLogger.Instance, TimeProvider.System, cancellationToken).ConfigureAwait(false);

        // Pin the port so a restart comes back where clients expect it.
        await File.WriteAllTextAsync(configFile, (config with { Port = process.ClientUrl.Port }).Render(directory), cancellationToken).ConfigureAwait(false);
        return new NatsNode(name, launch, process, store);
    }

    /// <summary>Kills the process with SIGKILL, as a crash would, and waits for it to be gone.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task KillAsync()
    {
        _process.Signal(PosixSignal.Kill);
        await _process.Exited.ConfigureAwait(false);
    }

    /// <summary>Stops the process as an operator would (SIGTERM: the server closes its store cleanly), and waits for it to be gone.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!await _process.StopAsync(TimeSpan.FromSeconds(10), TimeProvider.System, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Node {Name} (pid {ProcessId}) did not stop within 10 s of SIGTERM.");
        }
    }

    /// <summary>Starts the node again on the same port and store after <see cref="KillAsync"/> or <see cref="StopAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Node {Name} is still running; kill it first.");
        }

        await _process.DisposeAsync().ConfigureAwait(false);
        _process = await NatsServerProcess.StartAsync(_launch, NullLogger.Instance, TimeProvider.System, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Freezes the process (SIGSTOP): it holds its connections but answers nothing.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the process is stopped (Linux's /proc says so), not merely signalled.</returns>
    /// <remarks>On a loaded machine a signalled process can run on for a moment: a request sent then would still be answered.</remarks>
    public async Task PauseAsync(CancellationToken cancellationToken = default)
    {
        _process.Signal(PosixSignal.Stop);
        await Waiter.UntilAsync(() => IsStopped(_process.ProcessId), Waiter.Patience, $"nats-server {Name} (pid {_process.ProcessId}) to stop", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public void Resume() => _process.Signal(PosixSignal.Continue);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Resume();
        await _process.StopAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
    }

    private static string? ServerFromEnvironment()
    {
        var server = Environment.GetEnvironmentVariable(NatsServerFixture.ServerVariable);
        return string.IsNullOrEmpty(server) ? null
            : File.Exists(server) ? server
            : throw new InvalidOperationException($"{NatsServerFixture.ServerVariable} names '{server}', which does not exist; unset it to use nats-server from PATH.");
    }

    // The state follows the command name in parentheses, which may itself hold spaces: "123 (nats-server) T ...".
    private static bool IsStopped(int pid) =>
        File.ReadAllText($"/proc/{pid}/stat") is var stat && stat[(stat.LastIndexOf(')') + 2)..] is [('T' or 't'), ..];
}
