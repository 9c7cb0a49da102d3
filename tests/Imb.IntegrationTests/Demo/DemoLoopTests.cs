using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Imb.Server;
using Imb.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Demo;

/// <summary>
/// The demo host on an external server, driven the way a client in another language would: plain NATS, JSON written
/// by hand from docs/wire-format.md, no Imb type on the client side.
/// </summary>
public sealed class DemoLoopTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_PinRequestedFromAPlainClient_RunsTheWholeLoopDeadLettersTheUnreadableAndExitsZeroOnSigterm()
    {
        await using var server = await NatsNode.StartAsync("demo", Path.Combine(nats.Directory, nats.NewName("demo")), cancellationToken: Ct);
        var output = new ConcurrentQueue<string>();
        using var demo = StartDemo(server.Url, output);
        await Waiter.UntilAsync(() => output.Any(l => l.Contains("Gdc.Pipeline is up", StringComparison.Ordinal)), Waiter.Patience * 2, "the demo host to start", Ct);

        await using var client = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var seen = new ConcurrentQueue<NatsMsg<byte[]>>();
        await using var events = await client.SubscribeCoreAsync<byte[]>("gdc.events.>", cancellationToken: Ct);
        await using var deadLetters = await client.SubscribeCoreAsync<byte[]>("imb.dlq.>", cancellationToken: Ct);
        var reading = Task.WhenAll(CollectAsync(events, seen), CollectAsync(deadLetters, seen));
        await client.PingAsync(Ct);
        var js = new NatsJSContext(client);
        var cid = "QmPlain" + Guid.NewGuid().ToString("N")[..10];
        var id = Guid.NewGuid().ToString();
        var body = $$"""{"id":"{{id}}","type":"pin.requested","source":"python-gateway","subject":"{{cid}}","data":{"cid":"{{cid}}","size":4096,"policies":["rf-2"],"constraints":{},"priority":1,"requested_by":"py"},"trace_id":"trace-{{cid}}","timestamp":"2026-11-22T10:00:00.000Z","version":"1.0"}""";

        (await js.PublishAsync("gdc.events.pin.requested", Encoding.UTF8.GetBytes(body), opts: new NatsJSPubOpts { MsgId = id }, cancellationToken: Ct)).EnsureSuccess();
        var again = await js.PublishAsync("gdc.events.pin.requested", Encoding.UTF8.GetBytes(body), opts: new NatsJSPubOpts { MsgId = id }, cancellationToken: Ct);
        (await js.PublishAsync("gdc.events.pin.requested", "{\"not\":\"an event\"}"u8.ToArray(), opts: new NatsJSPubOpts { MsgId = id + "-bad" }, cancellationToken: Ct)).EnsureSuccess();
        await Waiter.UntilAsync(() => Of(seen, cid, "pin.completed").Count == 1 && seen.Any(m => m.Subject == "imb.dlq.GDC_EVENTS.planner"), Waiter.Patience * 2, "pin.completed and the dead letter", Ct);

        Assert.True(again.Duplicate, "the same event id must be stored once");
        var plan = Assert.Single(Of(seen, cid, "plan.ready"));
        Assert.Equal(cid, plan.GetProperty("data").GetProperty("cid").GetString());
        Assert.Equal($"trace-{cid}", plan.GetProperty("trace_id").GetString());
        Assert.Equal(2, plan.GetProperty("data").GetProperty("placements").GetArrayLength());
        var order = seen.Where(m => m.Subject.StartsWith("gdc.events.", StringComparison.Ordinal)).Select(Parse).OfType<JsonElement>()
            .Where(e => SubjectOf(e) == cid).Select(e => e.GetProperty("type").GetString()).ToList();
        // Core subscribers see both sends of the duplicate (the second may come after the plan); the stream stored, and the demo handled, one.
        Assert.Equal("pin.requested", order[0]);
        Assert.Equal(2, order.Count(t => t == "pin.requested"));
        Assert.Equal(["plan.ready", "exec.progress", "exec.completed", "pin.completed"], order.Where(t => t != "pin.requested"));
        var completed = Assert.Single(Of(seen, cid, "pin.completed"));
        Assert.Equal(2, completed.GetProperty("data").GetProperty("assignments").GetArrayLength());
        var letter = seen.First(m => m.Subject == "imb.dlq.GDC_EVENTS.planner");
        Assert.Contains("required member", letter.Headers!["Imb-Dlq-Reason"].ToString(), StringComparison.Ordinal);

        PosixSignal.Send(demo.Id, PosixSignal.Terminate);
        await demo.WaitForExitAsync(Ct);
        Assert.Equal(0, demo.ExitCode);
        await events.UnsubscribeAsync();
        await deadLetters.UnsubscribeAsync();
        await reading;
    }

    [Fact]
    public async Task Demo_PublishWithTrace_EndsWithOnePinsTraceAsATreeAndWritesEverySpanToTheFile()
    {
        await using var server = await NatsNode.StartAsync("demo-trace", Path.Combine(nats.Directory, nats.NewName("demo-trace")), cancellationToken: Ct);
        var file = Path.Combine(nats.Directory, nats.NewName("trace") + ".jsonl");
        var output = new ConcurrentQueue<string>();

        using var demo = StartDemo(server.Url, output, "--publish", "10", "--trace", file);
        await demo.WaitForExitAsync(Ct);

        var lines = output.ToList();
        Assert.True(demo.ExitCode == 0, string.Join('\n', lines));
        var tree = lines.SkipWhile(l => !l.StartsWith("trace ", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        string[] expected = ["publish gdc.events.pin.requested", "process gdc.events.pin.requested", "publish gdc.events.plan.ready", "process gdc.events.plan.ready", "publish gdc.events.exec.progress", "publish gdc.events.exec.completed", "process gdc.events.exec.completed", "publish gdc.events.pin.completed"];
        Assert.Equal(expected, tree.Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]));
        var spans = (await File.ReadAllLinesAsync(file, Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(spans, s => s.GetProperty("source").GetString() == "Imb" && s.GetProperty("name").GetString() == "publish gdc.events.pin.completed");
        Assert.Contains(spans, s => s.GetProperty("source").GetString() == "NATS.Net");
        Assert.Contains(lines, l => l.StartsWith("  subscription planner (Consuming): handled 10", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("imb-owner", "wrong-password-9c1e", "rejected Imb's credentials")]
    [InlineData("imb-user", "user-test-password", "lack permission")]
    public async Task Demo_WrongCredentialsOrMissingPermissions_LogsTheFailureOnceAndExitsWithOne(string user, string password, string reason)
    {
        var directory = Path.Combine(nats.Directory, nats.NewName("demo-auth"));
        var include = $"include \"{Path.GetRelativePath(directory, Path.Combine(RepositoryPaths.Auth, "users.conf"))}\"";
        await using var server = await NatsNode.StartAsync("demo-auth", directory, extraConfig: include, cancellationToken: Ct);
        var output = new ConcurrentQueue<string>();

        using var demo = StartDemo(server.Url, output, $"--Imb:Credentials:User={user}", $"--Imb:Credentials:Password={password}");
        await demo.WaitForExitAsync(Ct);

        var text = string.Join('\n', output);
        Assert.Equal(1, demo.ExitCode);
        Assert.Single(output, line => line.Contains("Hosting failed to start", StringComparison.Ordinal));
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
    }

    private static Process StartDemo(string url, ConcurrentQueue<string> output, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gdc.Pipeline.dll"));
        start.ArgumentList.Add("--Imb:Mode=External");
        start.ArgumentList.Add($"--Imb:Servers:0={url}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task CollectAsync(INatsSub<byte[]> subscription, ConcurrentQueue<NatsMsg<byte[]>> seen)
    {
        await foreach (var message in subscription.Msgs.ReadAllAsync())
        {
            seen.Enqueue(message);
        }
    }

    private static List<JsonElement> Of(ConcurrentQueue<NatsMsg<byte[]>> seen, string cid, string type) =>
        [.. seen.Where(m => m.Subject == "gdc.events." + type).Select(Parse).OfType<JsonElement>().Where(e => SubjectOf(e) == cid)];

    private static string? SubjectOf(JsonElement envelope) =>
        envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("subject", out var subject) ? subject.GetString() : null;

    private static JsonElement? Parse(NatsMsg<byte[]> message)
    {
        try
        {
            return JsonDocument.Parse(message.Data).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
