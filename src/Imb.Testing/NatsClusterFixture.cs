using System.Net;
using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Imb.Testing;

/// <summary>
/// Three nats-server processes on loopback forming one JetStream cluster. Each node can be killed, restarted,
/// paused and resumed, to test what happens to streams and clients when a node fails. Each node carries the server
/// tag <c>imb:&lt;node name&gt;</c> (<see cref="TagOf"/>), so a test can place a stream on a chosen node.
/// </summary>
public sealed class NatsClusterFixture : IAsyncLifetime
{
    private const int Size = 3;
    private const string ProbeStream = "IMB_CLUSTER_READY";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "imb-cluster", Guid.NewGuid().ToString("N")[..12]);
    private readonly List<NatsNode> _nodes = [];

    /// <summary>Gets the nodes.</summary>
    public IReadOnlyList<NatsNode> Nodes => _nodes;

    /// <summary>Gets every node's client URL, comma-separated, as a NATS client takes them.</summary>
    public string Urls => string.Join(",", _nodes.Select(n => n.Url));

    /// <summary>Gets the cluster's name (<c>cluster { name }</c>), as a stream's placement names it.</summary>
    public string ClusterName { get; private set; } = string.Empty;

    /// <summary>Gets the server tag only <paramref name="node"/> carries.</summary>
    /// <param name="node">One of <see cref="Nodes"/>.</param>
    /// <returns>The tag, <c>imb:&lt;node name&gt;</c>.</returns>
    public static string TagOf(NatsNode node) => "imb:" + node.Name;

    /// <summary>Finds the node with the given server name.</summary>
    /// <param name="name">The server name, as JetStream reports a stream's leader.</param>
    /// <returns>The node.</returns>
    public NatsNode Node(string name) => _nodes.Single(n => n.Name == name);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        // Once more on fresh ports if the first cluster never forms: it fails on a busy machine now and then (a port
        // taken between choosing and binding it); the second failure is reported with what each node printed.
        try
        {
            await FormAsync("first").ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or ImbException)
        {
            // Did not form, or a node could not start (its port taken after all).
            await StopNodesAsync().ConfigureAwait(false);
            await FormAsync("second").ConfigureAwait(false);
        }
    }

    private async Task FormAsync(string attempt)
    {
        // Client ports are fixed too: a random one could land on a route port a later node still has to bind.
        var ports = FreePorts(2 * Size);
        var routePorts = ports[Size..];
        var routes = string.Join(", ", routePorts.Select(p => $"\"nats-route://127.0.0.1:{p}\""));

        // A name of its own: a route that reaches another fixture's node (a port reused between choosing and binding)
        // is then refused, instead of merging two clusters.
        ClusterName = $"imb-test-{Path.GetFileName(_directory)}-{attempt}";
        for (var i = 0; i < Size; i++)
        {
            var cluster = $"cluster {{ name: \"{ClusterName}\", listen: \"127.0.0.1:{routePorts[i]}\", routes: [{routes}] }}\n" +
                $"server_tags: [\"imb:node-{i + 1}\"]";
            _nodes.Add(await NatsNode.StartAsync($"node-{i + 1}", Path.Combine(_directory, attempt, $"node-{i + 1}"), ports[i], cluster).ConfigureAwait(false));
        }

        await WaitForReplicatedPlacementAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    private async Task StopNodesAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        _nodes.Clear();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopNodesAsync().ConfigureAwait(false);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// Waits until the cluster can place a three-replica stream: a meta leader alone is not enough, since peers
    /// join it one by one ("no suitable peers for placement" until all three are current).
    /// </summary>
    private async Task WaitForReplicatedPlacementAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var connection = new NatsConnection(NatsOpts.Default with { Url = Urls });
        await using var disposeConnection = connection.ConfigureAwait(false);
        var js = new NatsJSContext(connection);
        var delay = TimeSpan.FromMilliseconds(50);
        var lastError = "none";
        try
        {
            while (true)
            {
                try
                {
                    await js.CreateStreamAsync(new StreamConfig(ProbeStream, ["imb.cluster.ready"]) { NumReplicas = Size }, deadline.Token).ConfigureAwait(false);
                    await js.DeleteStreamAsync(ProbeStream, deadline.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is NatsJSApiException or NatsJSException or NatsNoRespondersException or NatsException && !deadline.IsCancellationRequested)
                {
                    lastError = e.Message;
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                    delay = Backoff.Next(delay, TimeSpan.FromMilliseconds(500));
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var nodes = string.Join("; ", _nodes.Select(n => $"{n.Name} (port {n.Port}, {(n.IsRunning ? "running" : "exited")}): {n.LastOutput}"));
            throw new TimeoutException($"The cluster could not place a {Size}-replica stream within {timeout} (last error: {lastError}). {nodes}");
        }
    }

    private static int[] FreePorts(int count)
    {
        // Routes must be known before any node starts, so ports are chosen up front, and below Linux's ephemeral range
        // (32768 and up): a port the OS hands out for port 0 can be taken again by any outgoing connection before the
        // node binds it ("address already in use", seen in CI). Each is held open until all are chosen.
        var listeners = new List<TcpListener>();
        try
        {
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(20_000, 32_000));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    // In use: another port.
                }
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
