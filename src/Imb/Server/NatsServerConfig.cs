using System.Globalization;
using System.Text;

namespace Imb.Server;

/// <summary>The nats-server configuration Imb writes for a server it runs; always loopback, always JetStream.</summary>
internal sealed record NatsServerConfig
{
    /// <summary>-1 asks nats-server to pick a free port.</summary>
    public const int RandomPort = -1;

    public required string ServerName { get; init; }

    public int Port { get; init; } = RandomPort;

    public required string StoreDirectory { get; init; }

    public required string PidFile { get; init; }

    public string? IncludeFile { get; init; }

    /// <summary>Gets a value indicating whether every write is synced to disk before it is acknowledged (2.10+).</summary>
    public bool SyncAlways { get; init; }

    /// <summary>Renders the configuration for a file in <paramref name="configDirectory"/>.</summary>
    public string Render(string configDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine("# Written by Imb on every start; edits are lost. Extra settings belong in Imb:Embedded:ConfigFile.");
        if (IncludeFile is not null)
        {
            // First, so the loopback binding and store directory below always win. nats-server 2.9 joins even an
            // absolute include path onto the including file's directory, so the path is written relative to it.
            text.AppendLine(CultureInfo.InvariantCulture, $"include {Quote(Path.GetRelativePath(configDirectory, IncludeFile))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"server_name: {Quote(ServerName)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"listen: \"127.0.0.1:{Port}\"");
        text.AppendLine("http: \"127.0.0.1:-1\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"pid_file: {Quote(PidFile)}");
        var sync = SyncAlways ? ", sync_interval: always" : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: {Quote(StoreDirectory)}{sync} }}");
        return text.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
