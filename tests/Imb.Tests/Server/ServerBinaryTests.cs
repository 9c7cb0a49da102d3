using Imb.Server;

namespace Imb.Tests.Server;

public sealed class ServerBinaryTests
{
    [Fact]
    public void Resolve_NotOnPath_SaysHowToInstallOrConfigure()
    {
        var error = Assert.Throws<ImbException>(() => ServerBinary.Resolve(null, "/nonexistent/bin"));

        Assert.Contains("apt-get install nats-server", error.Message, StringComparison.Ordinal);
        Assert.Contains("Imb:Embedded:ServerPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConfiguredPathMissing_NamesPathAndKey()
    {
        var error = Assert.Throws<ImbException>(() => ServerBinary.Resolve("/opt/missing/nats-server", "/usr/bin"));

        Assert.Contains("/opt/missing/nats-server", error.Message, StringComparison.Ordinal);
        Assert.Contains("Imb:Embedded:ServerPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OnPath_FindsExecutable()
    {
        var directory = Directory.CreateTempSubdirectory("imb-bin");
        var binary = Path.Combine(directory.FullName, ServerBinary.DefaultName);
        File.WriteAllText(binary, "#!/bin/sh\n");

        Assert.Equal(binary, ServerBinary.Resolve(null, $"/nonexistent{Path.PathSeparator}{directory.FullName}"));
        directory.Delete(recursive: true);
    }
}
