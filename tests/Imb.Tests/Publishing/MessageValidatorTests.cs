using Imb.Publishing;
using NATS.Client.Core;

namespace Imb.Tests.Publishing;

public sealed class MessageValidatorTests
{
    public static TheoryData<string, string> InvalidHeaders => new()
    {
        { "", "is not a token" },
        { "Has Space", "is not a token" },
        { "Colon:Name", "is not a token" },
        { "Nats-Msg-Id", "is reserved for the server" },
        { "nats-expected-stream", "is reserved for the server" },
        { "X-Multi", "line break" },
    };

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public void BuildHeaders_InvalidNameOrValue_RefusedAsInvalidSayingWhy(string name, string reason)
    {
        var value = name == "X-Multi" ? "one\r\ntwo" : "v";

        var error = Assert.Throws<ImbException>(() => MessageValidator.BuildHeaders("orders.x", [new(name, value)], out _));

        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("orders.x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(1, 12 + 7)]
    [InlineData(3, 12 + (3 * 7))]
    // "Name: value\r\n" per header (7 bytes for H0 and v), and 12 for "NATS/1.0\r\n" and the closing blank line.
    public void BuildHeaders_ValidHeaders_BlockSizeIsFramingPlusEachLine(int count, int bytes)
    {
        var headers = Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>($"H{i}", "v"));

        var built = MessageValidator.BuildHeaders("orders.x", count == 0 ? null : headers, out var blockBytes);

        Assert.Equal(count == 0 ? 0 : bytes, blockBytes);
        Assert.Equal(count, built?.Count ?? 0);
    }

    [Fact]
    public void BuildHeaders_BlockOver64KiB_Refused()
    {
        var error = Assert.Throws<ImbException>(() => MessageValidator.BuildHeaders("orders.x", [new("Big", new string('x', 64 * 1024))], out _));

        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x", false, 11 + 1 + 4 + 12)]
    [InlineData("01JDQ7ZQ5N6Q1B8TRZ3C4X9W2K", false, 53)]
    [InlineData("01JDQ7ZQ5N6Q1B8TRZ3C4X9W2K", true, 41)]
    [InlineData("héllo", true, 11 + 6 + 4)]
    public void MessageIdBytes_CountsTheLineAndFramingInUtf8(string id, bool otherHeaders, int bytes)
    {
        Assert.Equal(bytes, MessageValidator.MessageIdBytes(id, otherHeaders));
    }

    [Fact]
    public void HeaderBytes_HeadersAndId_IsTheWholeBlock()
    {
        var headers = new NatsHeaders { ["Tenant"] = "acme" };

        Assert.Equal(53 + 14, MessageValidator.HeaderBytes(headers, "01JDQ7ZQ5N6Q1B8TRZ3C4X9W2K"));
    }

    [Theory]
    [InlineData(100, 0, 100, true)]
    [InlineData(100, 1, 100, false)]
    [InlineData(5_000_000, 0, 0, true)]
    public void CheckSize_AgainstMaxPayload_RefusesOnlyWhatIsOver(int payload, int headers, int maxPayload, bool fits)
    {
        var check = () => MessageValidator.CheckSize("orders.x", payload, headers, maxPayload);

        if (fits)
        {
            check();
        }
        else
        {
            Assert.Contains("max_payload", Assert.Throws<ImbException>(check).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("orders.created", true)]
    [InlineData("orders.*", false)]
    [InlineData("orders.>", false)]
    [InlineData("orders..created", false)]
    [InlineData("orders created", false)]
    [InlineData("", false)]
    public void CheckSubject_PublishSubject_WildcardsAndEmptyTokensRefused(string subject, bool valid)
    {
        var check = () => MessageValidator.CheckSubject(subject);

        if (valid)
        {
            check();
        }
        else
        {
            Assert.Equal(ImbErrorKind.Invalid, Assert.Throws<ImbException>(check).Kind);
        }
    }
}
