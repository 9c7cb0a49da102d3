using Imb.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.Tests.Streams;

public sealed class StreamsValidatorTests
{
    [Fact]
    public void Validate_DefaultTopologyWithEvents_IsValid()
    {
        var options = Configured(imb => imb.AddEvents());

        var result = new StreamsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(["GDC_EVENTS", "IMB_DLQ", "SYSTEM"], options.Streams.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DefaultTopology_WithoutEvents_HasNoEventsStream()
    {
        Assert.Equal(["IMB_DLQ", "SYSTEM"], Configured(_ => { }).Streams.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PostConfigure_StreamDeclaredWithDefaultName_ReplacesTheDefault()
    {
        var options = Configured(imb => imb.AddEvents().AddStream("GDC_EVENTS", s => { s.Subjects.Add("gdc.events.>"); s.MaxAge = TimeSpan.FromHours(1); }));

        Assert.Equal(TimeSpan.FromHours(1), options.Streams["GDC_EVENTS"].MaxAge);
        Assert.Equal(-1, options.Streams["GDC_EVENTS"].MaxBytes);
    }

    [Fact]
    public void DefaultTopologyReplicas_FromConfiguration_AppliesToEveryDefaultStreamButNotToDeclaredOnes()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Imb:DefaultTopologyReplicas"] = "3";
        builder.Services.AddImb().AddEvents().AddStream("ORDERS", s => s.Subjects.Add("orders.>"));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<ImbOptions>>().Value;

        Assert.All(["GDC_EVENTS", "IMB_DLQ", "SYSTEM"], name => Assert.Equal(3, options.Streams[name].Replicas));
        Assert.Equal(1, options.Streams["ORDERS"].Replicas);
    }

    public static TheoryData<string, Action<StreamOptions>, string> InvalidStreams => new()
    {
        { "BAD.NAME", s => s.Subjects.Add("bad.>"), "Imb:Streams:BAD.NAME" },
        { "EMPTY", _ => { }, "Imb:Streams:EMPTY:Subjects" },
        { "SPACES", s => s.Subjects.Add("a b"), "Imb:Streams:SPACES:Subjects:0" },
        { "REPLICAS", s => { s.Subjects.Add("r.>"); s.Replicas = 6; }, "Imb:Streams:REPLICAS:Replicas" },
        { "NEGATIVE_AGE", s => { s.Subjects.Add("n.>"); s.MaxAge = TimeSpan.FromSeconds(-1); }, "Imb:Streams:NEGATIVE_AGE:MaxAge" },
        { "WINDOW", s => { s.Subjects.Add("w.>"); s.MaxAge = TimeSpan.FromMinutes(1); s.DuplicateWindow = TimeSpan.FromMinutes(2); }, "Imb:Streams:WINDOW:DuplicateWindow" },
        { "BYTES", s => { s.Subjects.Add("b.>"); s.MaxBytes = -2; }, "Imb:Streams:BYTES:MaxBytes" },
        { "TRANSFORM", s => { s.Subjects.Add("t.>"); s.SubjectTransform = new() { Source = "t.*", Destination = "u.$2" }; }, "Imb:Streams:TRANSFORM:SubjectTransform" },
        { "ELSEWHERE", s => { s.Subjects.Add("t.>"); s.SubjectTransform = new() { Source = "u.*", Destination = "t.$1" }; }, "Imb:Streams:ELSEWHERE:SubjectTransform:Source" },
        { "CLUSTER", s => { s.Subjects.Add("c.>"); s.Placement = new() { Cluster = "east 1" }; }, "Imb:Streams:CLUSTER:Placement:Cluster" },
        { "TAGS", s => { s.Subjects.Add("g.>"); s.Placement = new() { Tags = { "az:1", " " } }; }, "Imb:Streams:TAGS:Placement:Tags:1" },
    };

    [Theory]
    [MemberData(nameof(InvalidStreams))]
    public void Validate_InvalidStream_FailsNamingTheKey(string name, Action<StreamOptions> configure, string key)
    {
        var stream = new StreamOptions();
        configure(stream);
        var options = new ImbOptions { Streams = { [name] = stream } };

        var result = new StreamsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingStreams_FailsNamingBoth()
    {
        var options = new ImbOptions
        {
            Streams =
            {
                ["ORDERS"] = new StreamOptions { Subjects = { "orders.>" } },
                ["ORDER_AUDIT"] = new StreamOptions { Subjects = { "orders.*.audit" } },
            },
        };

        var result = new StreamsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("ORDERS", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ORDER_AUDIT", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ImbOptions Configured(Action<IImbBuilder> imb)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        imb(builder.Services.AddImb());
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<ImbOptions>>().Value;
    }
}
