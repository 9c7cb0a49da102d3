namespace Imb.Server;

/// <summary>Finds the nats-server executable, or says exactly how to get one.</summary>
internal static class ServerBinary
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
}
