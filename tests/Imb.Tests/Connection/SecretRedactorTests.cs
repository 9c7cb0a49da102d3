using Imb.Connection;

namespace Imb.Tests.Connection;

public sealed class SecretRedactorTests
{
    [Fact]
    public void DescribeServers_UrlWithCredentials_DropsThem()
    {
        var described = SecretRedactor.DescribeServers(["nats://alice:hunter2@host-a:4222", "nats://host-b:4222"]);

        Assert.Equal("nats://host-a:4222, nats://host-b:4222", described);
    }

    [Fact]
    public void Redact_TextHoldingConfiguredSecrets_MasksEveryOne()
    {
        var options = new ImbOptions { Credentials = { Password = "pa55word", Token = "tok-123" } };
        options.Servers.Add("nats://bob:url-secret@host:4222");
        var redactor = new SecretRedactor(options);

        var text = redactor.Redact("auth pa55word failed; token tok-123; url nats://bob:url-secret@host");

        Assert.DoesNotContain("pa55word", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("url-secret", text, StringComparison.Ordinal);
    }
}
