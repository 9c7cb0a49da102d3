namespace Imb.Server;

/// <summary>What it takes to start one nats-server process.</summary>
/// <param name="ServerPath">The resolved executable.</param>
/// <param name="ConfigFile">The configuration file to run with.</param>
/// <param name="RuntimeDirectory">Where the server writes its ports file.</param>
/// <param name="StartTimeout">How long the server may take to report itself ready.</param>
/// <param name="WorkingDirectory">Where relative paths in the configuration (certificates) resolve; nats-server reads them from its working directory.</param>
/// <param name="SessionLauncher">
/// <c>setsid</c>, when found: the server runs in its own session, so a Ctrl+C meant for the host's terminal never
/// reaches it and it stops only when its supervisor says so. setsid execs in place, keeping the pid.
/// </param>
internal sealed record NatsServerLaunch(
    string ServerPath, string ConfigFile, string RuntimeDirectory, TimeSpan StartTimeout, string? WorkingDirectory = null, string? SessionLauncher = null)
{
    /// <summary>Describes a launch whose executables are looked up on <paramref name="searchPath"/>.</summary>
    public static NatsServerLaunch Create(string? configuredServerPath, string? searchPath, string configFile, string runtimeDirectory, TimeSpan startTimeout, string? workingDirectory = null) =>
        new(ServerBinary.Resolve(configuredServerPath, searchPath), configFile, runtimeDirectory, startTimeout, workingDirectory, ServerBinary.FindOnPath("setsid", searchPath));
}
