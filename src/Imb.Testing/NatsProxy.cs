using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Imb.Testing;

/// <summary>
/// A loopback TCP proxy in front of one nats-server, for fault tests: <see cref="ResetConnections"/> resets every
/// connection through it (a TCP RST on both sides, as a failing network or load balancer does),
/// <see cref="DropFromServer"/> drops chosen messages the server sends to clients (lost replies, lost acks), and
/// <see cref="DiscardFromClients"/> silences what clients send.
/// </summary>
public sealed class NatsProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ProxiedConnection, byte> _connections = new();
    private readonly Task _accepting;
    private long _dropped;
    private long _discardedBytes;
    private int _resets;
    private bool _discardFromClients;

    private NatsProxy(TcpListener listener, string targetHost, int targetPort)
    {
        _listener = listener;
        _targetHost = targetHost;
        _targetPort = targetPort;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>Gets the URL clients connect to instead of the server's.</summary>
    public string Url => $"nats://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Gets how many connections are open through the proxy now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Gets how many server messages <see cref="DropFromServer"/> has dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many bytes from clients <see cref="DiscardFromClients"/> has discarded.</summary>
    public long DiscardedBytes => Interlocked.Read(ref _discardedBytes);

    /// <summary>Gets how many connections <see cref="ResetConnections"/> has reset.</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>
    /// Gets or sets which messages from the server (<c>MSG</c>/<c>HMSG</c>: subject and payload, headers included)
    /// never reach the client; <see langword="null"/> forwards everything. Called on the proxy's own threads.
    /// </summary>
    public Func<string, ReadOnlyMemory<byte>, bool>? DropFromServer { get; set; }

    /// <summary>
    /// Gets or sets whether what clients send is read and discarded: the server hears nothing, as over a connection
    /// that died silently, while what it sends still arrives. Set it, then <see cref="ResetConnections"/>, to lose the
    /// last things a client wrote (acks, publishes) the way a failing network does.
    /// </summary>
    public bool DiscardFromClients
    {
        get => Volatile.Read(ref _discardFromClients);
        set => Volatile.Write(ref _discardFromClients, value);
    }

    /// <summary>Starts a proxy to <paramref name="serverUrl"/> on a free loopback port.</summary>
    /// <param name="serverUrl">The server's client URL, for example a <see cref="NatsNode.Url"/>.</param>
    /// <returns>The running proxy.</returns>
    public static NatsProxy Start(string serverUrl)
    {
        var target = new Uri(serverUrl);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new NatsProxy(listener, target.Host, target.Port);
    }

    /// <summary>Resets every open connection at once; clients reconnect through the proxy as to a restarted peer.</summary>
    /// <returns>How many connections were reset.</returns>
    public int ResetConnections()
    {
        var count = 0;
        foreach (var connection in _connections.Keys)
        {
            connection.Reset();
            count++;
        }

        Interlocked.Add(ref _resets, count);
        return count;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        ResetConnections();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountDiscarded(int bytes) => Interlocked.Add(ref _discardedBytes, bytes);

    internal void Closed(ProxiedConnection connection) => _connections.TryRemove(connection, out _);

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // The server is down: the client sees its connection refused, as it would without the proxy.
                ProxiedConnection.Abort(client);
                server.Dispose();
                continue;
            }

            client.NoDelay = true;
            var connection = new ProxiedConnection(this, client, server);
            _connections[connection] = 0;
            connection.Start();
        }
    }
}
