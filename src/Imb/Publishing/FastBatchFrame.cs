using System.Text.Json;

namespace Imb.Publishing;

/// <summary>What the server says about a fast-ingest batch on its reply subject.</summary>
internal enum FastBatchFrameKind
{
    /// <summary>Not a frame this client knows; the batch is given up, its unsettled messages sent one by one.</summary>
    Unknown,

    /// <summary><c>{"type":"ack","seq":N,"msgs":M}</c>: stored through batch sequence N; acks now come every M messages.</summary>
    FlowAck,

    /// <summary><c>{"type":"gap","last_seq":N,"seq":M}</c>: messages went missing; the server ends the batch next.</summary>
    Gap,

    /// <summary><c>{"type":"err","seq":N,"error":{…}}</c>: message N was refused; the server ends the batch next.</summary>
    Rejected,

    /// <summary><c>{"stream":S,"seq":Q,"batch":B,"count":C}</c>: the batch ended with its first C messages handled.</summary>
    Ended,

    /// <summary><c>{"error":{…},"stream":S,"seq":0}</c>: the batch is refused or unknown (ended, server restarted).</summary>
    Failed,
}

/// <summary>One parsed frame; <see cref="ErrorCode"/> and <see cref="ErrCode"/> are set for refusals.</summary>
internal readonly record struct FastBatchFrame(FastBatchFrameKind Kind, long Sequence, int Messages, long Count, int ErrorCode, int ErrCode, string? Description)
{
    /// <remarks>A frame comes once per many messages, so a parsed document costs nothing that shows.</remarks>
    public static FastBatchFrame Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            var sequence = Number(root, "seq");
            var hasError = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object;
            var kind = type switch
            {
                "ack" => FastBatchFrameKind.FlowAck,
                "gap" => FastBatchFrameKind.Gap,
                "err" when hasError => FastBatchFrameKind.Rejected,
                null when hasError => FastBatchFrameKind.Failed,
                null when root.TryGetProperty("batch", out _) => FastBatchFrameKind.Ended,
                _ => FastBatchFrameKind.Unknown,
            };
            return hasError
                ? new FastBatchFrame(kind, sequence, 0, 0, (int)Number(error, "code"), (int)Number(error, "err_code"), error.TryGetProperty("description", out var d) ? d.GetString() : null)
                : new FastBatchFrame(kind, sequence, (int)Number(root, "msgs"), Number(root, "count"), 0, 0, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return default;
        }
    }

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
