namespace Imb.IntegrationTests;

/// <summary>Files of this repository the tests use (nats-config), found by walking up from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string NatsConfig => Path.Combine(Root, "nats-config");

    public static string Auth => Path.Combine(NatsConfig, "auth");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Imb.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Imb.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
