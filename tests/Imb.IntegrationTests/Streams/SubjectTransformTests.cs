using System.Text;
using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.JetStream.Models;

namespace Imb.IntegrationTests.Streams;

/// <summary>A declared subject transform (nats-server 2.10+): applied by the server, compared for drift, refused on 2.9.</summary>
public sealed class SubjectTransformTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_StreamWithSubjectTransform_StoresTheRewrittenSubjectWhereTheServerCanAndIsRefusedWhereItWouldIgnoreIt()
    {
        var name = nats.NewName("TF");
        var prefix = name.ToLowerInvariant();
        var transform = new SubjectTransformOptions { Source = $"{prefix}.in.*.*", Destination = $"{prefix}.by.{{{{wildcard(2)}}}}.$1" };
        await using var host = Host(name, transform);

        if (await ServerVersion.OfAsync(nats.Url) < new Version(2, 10, 0))
        {
            var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);
            Assert.Contains($"Stream {name}", error.Message, StringComparison.Ordinal);
            Assert.Contains("subject transforms", error.Message, StringComparison.Ordinal);
            Assert.Contains("2.10.0", error.Message, StringComparison.Ordinal);
            return;
        }

        await host.StartAsync();
        await host.Get<IMessageBus>().PublishAsync($"{prefix}.in.eu.shipped", Encoding.ASCII.GetBytes("1"), new PublishOptions { MessageId = "one" }, Ct);
        await host.Get<IMessageBus>().PublishAsync($"{prefix}.other", Encoding.ASCII.GetBytes("2"), cancellationToken: Ct);
        var stream = await host.Get<ImbConnection>().JetStream.GetStreamAsync(name, cancellationToken: Ct);
        Assert.Equal($"{prefix}.by.shipped.eu", (await stream.GetAsync(new StreamMsgGetRequest { Seq = 1 }, Ct)).Message.Subject);
        Assert.Equal($"{prefix}.other", (await stream.GetAsync(new StreamMsgGetRequest { Seq = 2 }, Ct)).Message.Subject);

        // The server reads the transform back as declared: a second start finds no drift; a changed one is applied.
        await using (var again = Host(name, transform))
        {
            await again.StartAsync();
            Assert.Empty(again.LogsWithEventId(303));
        }

        await using var changed = Host(name, new SubjectTransformOptions { Source = transform.Source, Destination = $"{prefix}.by.$1.$2" });
        await changed.StartAsync();
        var drift = Assert.Single(changed.LogsWithEventId(303));
        Assert.Contains("SubjectTransform", drift.Message, StringComparison.Ordinal);
        await changed.Get<IMessageBus>().PublishAsync($"{prefix}.in.us.packed", Encoding.ASCII.GetBytes("3"), cancellationToken: Ct);
        Assert.Equal($"{prefix}.by.us.packed", (await stream.GetAsync(new StreamMsgGetRequest { Seq = 3 }, Ct)).Message.Subject);
    }

    private ImbTestHost Host(string stream, SubjectTransformOptions transform) => ImbTestHost.Create(
        o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(nats.Url);
            o.DefaultTopology = false;
        },
        imb => imb.AddStream(stream, s =>
        {
            s.Subjects.Add(stream.ToLowerInvariant() + ".>");
            s.SubjectTransform = transform;
        }));
}
