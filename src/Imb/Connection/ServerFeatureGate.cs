namespace Imb.Connection;

/// <summary>Refuses configuration the connected server would silently ignore, naming the feature and the version it needs.</summary>
internal static class ServerFeatureGate
{
    public static bool Supports(Version serverVersion, ServerFeature feature) => serverVersion >= feature.MinimumVersion;

    public static void Require(Version serverVersion, string server, ServerFeature feature, string requestedBy)
    {
        if (!Supports(serverVersion, feature))
        {
            throw new ImbException(
                $"{requestedBy} uses {feature.Description}, which needs nats-server {feature.MinimumVersion} or later; " +
                $"the server at {server} runs {serverVersion} and would silently ignore it. Remove the setting or upgrade the server.");
        }
    }

    /// <summary>Parses a server's version ("2.9.10", "2.11.0-beta.2"), ignoring any pre-release suffix.</summary>
    public static Version ParseVersion(string? version)
    {
        var core = (version ?? string.Empty).Split('-', '+')[0];
        return Version.TryParse(core, out var parsed) ? parsed : new Version(0, 0, 0);
    }
}
