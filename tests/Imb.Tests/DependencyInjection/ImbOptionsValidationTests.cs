using Imb.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Tests.DependencyInjection;

public sealed class ImbOptionsValidationTests
{
    public static TheoryData<string[]> ValidSettings => new()
    {
        Array.Empty<string>(),
        new[] { "Imb:Mode=External", "Imb:Servers:0=nats://127.0.0.1:4222" },
        new[] { "Imb:Mode=External", "Imb:Servers:0=nats://a:4222", "Imb:Servers:1=tls://b:4222" },
        new[] { "Imb:Mode=External", "Imb:Servers:0=nats://u:p@a:4222" },
        new[] { "Imb:Embedded:Port=4222", "Imb:Embedded:StartTimeout=00:01:00" },
        new[] { "Imb:Credentials:User=alice", "Imb:Credentials:Password=secret" },
        new[] { "Imb:Credentials:Token=t0ken" },
        new[] { "Imb:MaxReconnectAttempts=-1", "Imb:ReconnectWait=00:00:00.500", "Imb:ConnectTimeout=00:00:02" },
    };

    public static TheoryData<string[], string> InvalidSettings => new()
    {
        { ["Imb:Mode=External"], "Imb:Servers" },
        { ["Imb:Mode=External", "Imb:Servers:0=localhost:4222"], "Imb:Servers:0" },
        { ["Imb:Mode=External", "Imb:Servers:0=http://a:4222"], "Imb:Servers:0" },
        { ["Imb:Servers:0=nats://a:4222"], "Imb:Servers" },
        { ["Imb:Mode=InMemory", "Imb:Servers:0=nats://a:4222"], "Imb:Servers" },
        { ["Imb:Embedded:Port=70000"], "Port" },
        { ["Imb:Embedded:Port=-1"], "Port" },
        { ["Imb:Embedded:StoreDirectory="], "StoreDirectory" },
        { ["Imb:Embedded:StartTimeout=00:00:00"], "StartTimeout" },
        { ["Imb:ConnectTimeout=00:00:00"], "ConnectTimeout" },
        { ["Imb:MaxReconnectAttempts=-2"], "MaxReconnectAttempts" },
        { ["Imb:ReconnectWait=00:20:00"], "ReconnectWait" },
        { ["Imb:Credentials:User=alice"], "Imb:Credentials" },
        { ["Imb:Credentials:User=alice", "Imb:Credentials:Password=p", "Imb:Credentials:Token=t"], "Imb:Credentials" },
        { ["Imb:Credentials:NKeySeedFile=/nonexistent/user.nk"], "Imb:Credentials:NKeySeedFile" },
        { ["Imb:Credentials:CredsFile=/nonexistent/user.creds"], "Imb:Credentials:CredsFile" },
        { ["Imb:Tls:CertFile=/nonexistent/cert.pem"], "Imb:Tls" },
        { ["Imb:Tls:CaFile=/nonexistent/ca.pem"], "Imb:Tls:CaFile" },
        { ["Imb:ClientName= "], "Imb:ClientName" },
        { ["Imb:Publishing:MaxInFlight=0"], "MaxInFlight" },
        { ["Imb:Publishing:AckTimeout=00:00:00"], "AckTimeout" },
        { ["Imb:Publishing:ResendAfter=00:10:00"], "ResendAfter" },
        { ["Imb:Subscribing:Heartbeat=00:00:00.100"], "Heartbeat" },
        { ["Imb:Subscribing:Heartbeat=00:00:05", "Imb:Subscribing:PullExpiry=00:00:06"], "Imb:Subscribing:PullExpiry" },
    };

    [Theory]
    [MemberData(nameof(ValidSettings))]
    public void Validate_ValidSettings_Succeeds(string[] settings)
    {
        var result = Validate(settings);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSettings_FailsNamingTheKey(string[] settings, string key)
    {
        var result = Validate(settings);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ServerUrlWithPassword_DoesNotEchoThePassword()
    {
        var result = Validate(["Imb:Mode=External", "Imb:Servers:0=nats//alice:hunter2@host"]);

        Assert.True(result.Failed);
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidConfiguration_FailsNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(["Imb:Mode=External"]));
        builder.Services.AddImb();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Imb:Servers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImb_CalledTwice_BindsConfigurationOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(["Imb:Mode=External", "Imb:Servers:0=nats://a:4222"]));
        builder.Services.AddImb();
        builder.Services.AddImb(o => o.ClientName = "second");
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<ImbOptions>>().Value;

        Assert.Equal(["nats://a:4222"], options.Servers);
        Assert.Equal("second", options.ClientName);
    }

    [Fact]
    public void AddImb_StreamsAndPublishingFromConfiguration_AreBoundAndMergedWithTheDefaultTopology()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings([
            "Imb:Streams:ORDERS:Subjects:0=orders.>",
            "Imb:Streams:ORDERS:MaxAge=7.00:00:00",
            "Imb:Streams:ORDERS:Storage=Memory",
            "Imb:Provisioning=VerifyOnly",
            "Imb:Publishing:MaxInFlight=64",
        ]));
        builder.Services.AddImb().AddEvents().AddStream("AUDIT", s => s.Subjects.Add("audit.>"));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<ImbOptions>>().Value;

        Assert.Equal(["orders.>"], options.Streams["ORDERS"].Subjects);
        Assert.Equal(TimeSpan.FromDays(7), options.Streams["ORDERS"].MaxAge);
        Assert.Equal(StreamStorage.Memory, options.Streams["ORDERS"].Storage);
        Assert.Equal(["audit.>"], options.Streams["AUDIT"].Subjects);
        Assert.Equal(ProvisioningMode.VerifyOnly, options.Provisioning);
        Assert.Equal(64, options.Publishing.MaxInFlight);
        Assert.Equal(["AUDIT", "GDC_EVENTS", "IMB_DLQ", "ORDERS", "SYSTEM"], options.Streams.Keys.Order(StringComparer.Ordinal));
    }

    private static ValidateOptionsResult Validate(string[] settings)
    {
        var options = new ImbOptions();
        new ConfigurationBuilder().AddInMemoryCollection(Settings(settings)).Build().GetSection(ImbOptions.SectionName).Bind(options);
        var results = new IValidateOptions<ImbOptions>[] { new ImbOptionsValidator(), new ImbOptionsConsistencyValidator() }
            .Select(v => v.Validate(Options.DefaultName, options))
            .Where(r => r.Failed)
            .ToList();
        return results.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(results.SelectMany(r => r.Failures ?? []));
    }

    private static Dictionary<string, string?> Settings(string[] settings) =>
        settings.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
}
