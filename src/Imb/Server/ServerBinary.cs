using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Imb.Server;

/// <summary>Finds the nats-server executable, or says exactly how to get one.</summary>
internal static partial class ServerBinary
{
    public const string DefaultName = "nats-server";

    public static string Resolve(string? configuredPath, string? searchPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return File.Exists(configuredPath)
                ? Path.GetFullPath(configuredPath)
                : throw new ImbException(
                    $"The nats-server executable '{configuredPath}' set in Imb:Embedded:ServerPath does not exist. " +
                    "Fix the path, or remove the setting to use nats-server from PATH.");
        }

        return FindOnPath(DefaultName, searchPath) ?? throw new ImbException(
            "nats-server was not found on PATH, and Imb's embedded mode needs it. Install it " +
            "(Debian/Ubuntu: 'sudo apt-get install nats-server'), set Imb:Embedded:ServerPath to the executable, " +
            "or use Imb:Mode=External with Imb:Servers:0=nats://host:4222.");
    }

    public static string? FindOnPath(string name, string? searchPath) =>
        (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Asks the executable for its version (<c>--version</c>), for settings an older server refuses to start with.</summary>
    public static async Task<Version> ReadVersionAsync(string serverPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string output;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(serverPath, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
                ?? throw new InvalidOperationException("the process did not start");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ImbException($"Could not ask {serverPath} for its version ('--version': {e.Message}).", e);
        }

        return VersionPattern().Match(output) is { Success: true } match
            ? Version.Parse(match.Groups[1].Value)
            : throw new ImbException($"{serverPath} --version printed no nats-server version ('{output.Trim()}').");
    }

    [GeneratedRegex(@"v(\d+\.\d+\.\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
