namespace Imb.Server;

/// <summary>What it takes to start one nats-server process.</summary>
/// <param name="ServerPath">The resolved executable.</param>
/// <param name="ConfigFile">The configuration file to run with.</param>
/// <param name="RuntimeDirectory">Where the server writes its ports file.</param>
/// <param name="StartTimeout">How long the server may take to report itself ready.</param>
internal sealed record NatsServerLaunch(string ServerPath, string ConfigFile, string RuntimeDirectory, TimeSpan StartTimeout);
