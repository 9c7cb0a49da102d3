using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Imb.Server;

/// <summary>
/// One running nats-server child process: started, known ready by its ports file and <c>/healthz</c>, its output
/// forwarded to the log, and stopped with SIGTERM, a bounded wait, then SIGKILL.
/// </summary>
internal sealed class NatsServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly Process _process;
    private readonly ServerOutputForwarder _output;
    private readonly Task _pumps;
    private readonly CancellationTokenSource _pumpStop = new();

    private NatsServerProcess(Process process, ServerOutputForwarder output)
    {
        _process = process;
        _output = output;
        ProcessId = process.Id;
        Exited = process.WaitForExitAsync();
        _pumps = Task.WhenAll(
            output.PumpAsync(process.StandardError, _pumpStop.Token),
            output.PumpAsync(process.StandardOutput, _pumpStop.Token));
    }

    public int ProcessId { get; }

    public Uri ClientUrl { get; private set; } = null!;

    public Uri MonitoringUrl { get; private set; } = null!;

    /// <summary>Gets a task that completes when the process has exited.</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public int ExitCode => _process.ExitCode;

    public string LastOutput => _output.LastLines;

    public static async Task<NatsServerProcess> StartAsync(NatsServerLaunch launch, ILogger serverLog, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(launch.SessionLauncher ?? launch.ServerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory ?? string.Empty,
        };
        if (launch.SessionLauncher is not null)
        {
            start.ArgumentList.Add(launch.ServerPath);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(launch.ConfigFile);
        start.ArgumentList.Add("--ports_file_dir");
        start.ArgumentList.Add(launch.RuntimeDirectory);

        var process = Process.Start(start) ?? throw new ImbException($"nats-server '{launch.ServerPath}' could not be started.");
        var server = new NatsServerProcess(process, new ServerOutputForwarder(serverLog));
        try
        {
            await server.WaitUntilReadyAsync(launch, time, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch (Exception)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops gracefully (SIGTERM: nats-server flushes JetStream and exits), killing after <paramref name="timeout"/>.</summary>
    /// <returns><see langword="true"/> when the server stopped by itself, <see langword="false"/> when it had to be killed.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            return true;
        }

        PosixSignal.Send(ProcessId, PosixSignal.Terminate);
        try
        {
            await Exited.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            await _pumps.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Sends a POSIX signal (tests pause and resume nodes with SIGSTOP and SIGCONT).</summary>
    public bool Signal(int signal) => PosixSignal.Send(ProcessId, signal);

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
        _pumpStop.Dispose();
    }

    private async Task KillAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await Exited.ConfigureAwait(false);
        }

        // The pipes close when the process is gone; the pumps end by themselves after the last line.
        await _pumps.ConfigureAwait(false);
    }

    private async Task WaitUntilReadyAsync(NatsServerLaunch launch, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(launch.StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var portsFile = Path.Combine(launch.RuntimeDirectory, $"{Path.GetFileName(launch.ServerPath)}_{ProcessId}.ports");
        var delay = TimeSpan.FromMilliseconds(5);
        try
        {
            while (true)
            {
                if (HasExited)
                {
                    await _pumps.ConfigureAwait(false);
                    throw new ImbException(
                        $"nats-server exited with code {ExitCode} while starting with configuration '{launch.ConfigFile}': {LastOutput}");
                }

                if (await TryReadPortsAsync(portsFile, deadline.Token).ConfigureAwait(false) &&
                    await IsHealthyAsync(http, deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(delay, time, deadline.Token).ConfigureAwait(false);
                delay = Backoff.Next(delay, MaxPollInterval);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImbException(
                $"nats-server (pid {ProcessId}) did not report ready within {launch.StartTimeout} " +
                $"(Imb:Embedded:StartTimeout); last output: {LastOutput}");
        }
    }

    private async Task<bool> TryReadPortsAsync(string portsFile, CancellationToken cancellationToken)
    {
        if (MonitoringUrl is not null)
        {
            return true;
        }

        if (!File.Exists(portsFile))
        {
            return false;
        }

        try
        {
            var stream = File.OpenRead(portsFile);
            await using (stream.ConfigureAwait(false))
            {
                var ports = await JsonSerializer.DeserializeAsync(stream, PortsFileJsonContext.Default.PortsFile, cancellationToken).ConfigureAwait(false);
                if (ports?.Nats is [var client, ..] && ports.Monitoring is [var monitoring, ..])
                {
                    ClientUrl = new Uri(client);
                    MonitoringUrl = new Uri(monitoring);
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Caught mid-write: the next poll reads the whole file.
        }

        return false;
    }

    private async Task<bool> IsHealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(MonitoringUrl, "/healthz?js-enabled-only=true"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
