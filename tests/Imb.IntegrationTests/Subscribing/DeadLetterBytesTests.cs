using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>
/// A dead letter keeps the original header values byte for byte, whatever they hold: written by a plain client that
/// sends raw bytes, read back by one that reads raw bytes (Latin-1 maps each byte to one char and back).
/// </summary>
public sealed class DeadLetterBytesTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[]> Values => new()
    {
        { "utf-8 text", Encoding.UTF8.GetBytes("héllo wörld 日本語 😀") },
        { "latin-1 text", [0x68, 0xE9, 0x6C, 0x6C, 0x6F, 0x20, 0x77, 0xF6, 0x72, 0x6C, 0x64] },
        { "binary-ish, no control bytes", [.. Enumerable.Range(0x80, 0x80).Select(b => (byte)b), 0x21, 0x7E, 0xC3] },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task DeadLetter_HeaderValueOfAnyBytes_KeepsThemByteForByte(string kind, byte[] value)
    {
        var stream = nats.NewName("BYTES");
        await using var scenario = await SubscriptionScenario.StartAsync(nats.Url, stream, (imb, name, _) =>
            imb.AddSubscription("raw", s => s.Stream = name, (_, _, _) => throw new ImbException("refused") { Kind = ImbErrorKind.Poison }));
        await using var raw = new NatsConnection(NatsOpts.Default with { Url = nats.Url, HeaderEncoding = Encoding.Latin1 });
        var js = new NatsJSContext(raw);
        var headers = new NatsHeaders { ["X-Value"] = Encoding.Latin1.GetString(value) };

        await js.PublishAsync($"{scenario.Subject}.in", "body"u8.ToArray(), headers: headers, cancellationToken: Ct);

        IReadOnlyList<INatsJSMsg<byte[]>> letters = [];
        await Waiter.UntilAsync(
            async ct => (letters = await DeadLetterReader.ReadAsync(js, $"imb.dlq.{stream}.>", ct)).Count > 0, Waiter.Patience, $"the dead letter of the {kind} value", Ct);
        var letter = Assert.Single(letters);
        Assert.Equal(value, Encoding.Latin1.GetBytes(letter.Headers!["X-Value"].ToString()));
        Assert.Equal("body"u8.ToArray(), letter.Data);
    }
}
