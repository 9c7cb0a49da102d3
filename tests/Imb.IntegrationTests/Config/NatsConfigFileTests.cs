using System.Diagnostics;

namespace Imb.IntegrationTests.Config;

public sealed class NatsConfigFileTests
{
    public static TheoryData<string> ConfigFiles =>
        [.. Directory.EnumerateFiles(RepositoryPaths.NatsConfig, "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.NatsConfig, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public async Task ConfigFile_PassesNatsServerCheck(string file)
    {
        var path = Path.Combine(RepositoryPaths.NatsConfig, file);
        // Relative paths inside (certificates) resolve against the working directory, as with docker-compose.
        var start = new ProcessStartInfo("nats-server") { WorkingDirectory = Path.GetDirectoryName(path)!, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-t");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(path);
        using var check = Process.Start(start)!;
        var output = await check.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)
                     + await check.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await check.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(check.ExitCode == 0, $"nats-server -t rejected {file}: {output}");
        Assert.Contains("is valid", output, StringComparison.Ordinal);
    }
}
