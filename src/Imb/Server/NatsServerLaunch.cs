namespace Imb.Server;

/// <summary>What it takes to start one nats-server process.</summary>
/// <param name="ServerPath">The resolved executable.</param>
/// <param name="ConfigFile">The configuration file to run with.</param>
/// <param name="RuntimeDirectory">Where the server writes its ports file.</param>
/// <param name="StartTimeout">How long the server may take to report itself ready.</param>
/// <param name="WorkingDirectory">Where relative paths in the configuration (certificates) resolve; nats-server reads them from its working directory.</param>
internal sealed record NatsServerLaunch(string ServerPath, string ConfigFile, string RuntimeDirectory, TimeSpan StartTimeout, string? WorkingDirectory = null);
