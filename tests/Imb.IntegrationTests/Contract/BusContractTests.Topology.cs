namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on <see cref="IImbTopology"/>: list, get, ensure, purge and delete behave alike in both modes.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Topology_GetListPurge_ShowTheDeclaredStreamAndItsMessages()
    {
        var (host, subject) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        var topology = host.Get<IImbTopology>();
        PublishAck last = default;
        for (var i = 0; i < 3; i++)
        {
            last = await bus.PublishAsync($"{subject}.m{i}", "abc"u8.ToArray(), cancellationToken: Ct);
        }

        var filled = await topology.GetStreamAsync(last.Stream, Ct);
        var listed = await topology.ListStreamsAsync(Ct);
        var purged = await topology.PurgeStreamAsync(last.Stream, Ct);
        var empty = await topology.GetStreamAsync(last.Stream, Ct);
        var after = await bus.PublishAsync($"{subject}.after", "x"u8.ToArray(), cancellationToken: Ct);

        Assert.Equal((3L, 1UL, 3UL, true), (filled.Messages, filled.FirstSequence, filled.LastSequence, filled.Owned));
        Assert.Equal([subject + ".>"], filled.Subjects);
        Assert.True(filled.Bytes > 0, $"bytes {filled.Bytes}");
        Assert.Contains(listed, s => s.Name == last.Stream && s.Messages == 3);
        Assert.Equal(3, purged);
        Assert.Equal((0L, 0L, 4UL, 3UL), (empty.Messages, empty.Bytes, empty.FirstSequence, empty.LastSequence));
        Assert.Equal(4UL, after.Sequence);
    }

    [Fact]
    public async Task Topology_EnsureThenDelete_StreamComesAndGoes()
    {
        var (host, _) = await StartAsync();
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        var topology = host.Get<IImbTopology>();
        var id = Guid.NewGuid().ToString("N")[..10];
        var (name, subject) = ("E_" + id, "e" + id);

        var created = await topology.EnsureStreamAsync(name, new StreamOptions { Subjects = { subject + ".>" } }, Ct);
        var again = await topology.EnsureStreamAsync(name, new StreamOptions { Subjects = { subject + ".>" } }, Ct);
        var stored = await bus.PublishAsync(subject + ".one", "1"u8.ToArray(), cancellationToken: Ct);
        await topology.DeleteStreamAsync(name, Ct);
        var gone = await Assert.ThrowsAsync<ImbException>(async () => await topology.GetStreamAsync(name, Ct));
        var deletedTwice = await Assert.ThrowsAsync<ImbException>(async () => await topology.DeleteStreamAsync(name, Ct));
        var unrouted = await Assert.ThrowsAsync<ImbException>(async () => await bus.PublishAsync(subject + ".two", "2"u8.ToArray(), cancellationToken: Ct));
        var invalid = await Assert.ThrowsAsync<ImbException>(async () => await topology.EnsureStreamAsync("E_" + id + "_none", new StreamOptions(), Ct));

        Assert.Equal((name, 0L, true), (created.Name, created.Messages, created.Owned));
        Assert.Equal(name, again.Name);
        Assert.Equal((name, 1UL), (stored.Stream, stored.Sequence));
        Assert.Equal((ImbErrorKind.NoStream, ImbErrorKind.NoStream, ImbErrorKind.NoStream), (gone.Kind, deletedTwice.Kind, unrouted.Kind));
        Assert.Contains(name, gone.Message, StringComparison.Ordinal);
        Assert.Contains(name, deletedTwice.Message, StringComparison.Ordinal);
        Assert.Contains("Subjects", invalid.Message, StringComparison.Ordinal);
    }
}
