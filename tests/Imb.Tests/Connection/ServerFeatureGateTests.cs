using Imb.Connection;

namespace Imb.Tests.Connection;

public sealed class ServerFeatureGateTests
{
    [Theory]
    [InlineData("2.9.10", 2, 9, 10)]
    [InlineData("2.11.0-beta.2", 2, 11, 0)]
    [InlineData("garbage", 0, 0, 0)]
    [InlineData(null, 0, 0, 0)]
    public void ParseVersion_ServerVersionText_ReadsCoreVersion(string? text, int major, int minor, int build)
    {
        Assert.Equal(new Version(major, minor, build), ServerFeatureGate.ParseVersion(text));
    }

    [Fact]
    public void Require_FeatureNewerThanServer_ThrowsNamingFeatureVersionAndServer()
    {
        var error = Assert.Throws<ImbException>(() =>
            ServerFeatureGate.Require(new Version(2, 9, 10), "nats://127.0.0.1:4222", ServerFeature.MessageTtl, "Stream ORDERS"));

        Assert.Contains("Stream ORDERS", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nats-TTL", error.Message, StringComparison.Ordinal);
        Assert.Contains("2.11.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("2.9.10", error.Message, StringComparison.Ordinal);
        Assert.Contains("nats://127.0.0.1:4222", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.10.0", true)]
    [InlineData("2.9.10", false)]
    public void Supports_ComparesAgainstMinimumVersion(string version, bool expected)
    {
        Assert.Equal(expected, ServerFeatureGate.Supports(Version.Parse(version), ServerFeature.ConsumerFilterSubjects));
    }
}
