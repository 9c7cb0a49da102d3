namespace Imb;

/// <summary>A follower of a replicated stream, as the stream's leader reports it.</summary>
/// <param name="Name">The server it runs on.</param>
/// <param name="Current">Whether it has every message the leader has.</param>
/// <param name="Offline">Whether the leader cannot reach it.</param>
/// <param name="Lag">How many operations it is behind.</param>
public sealed record StreamReplica(string Name, bool Current, bool Offline, ulong Lag);
