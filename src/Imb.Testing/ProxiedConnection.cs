using System.Net.Sockets;
using System.Text;

namespace Imb.Testing;

/// <summary>
/// One client connection through a <see cref="NatsProxy"/>: bytes to the server are copied as they are (or discarded, see
/// <see cref="NatsProxy.DiscardFromClients"/>); what the server
/// sends is read frame by frame (NATS is a line protocol; MSG and HMSG carry a sized payload), so single messages can be dropped.
/// </summary>
internal sealed class ProxiedConnection(NatsProxy proxy, Socket client, Socket server)
{
    /// <summary>Gets the task that ends when both directions have; the proxy awaits it at dispose.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Resets both sides: each peer gets a TCP RST, not an orderly close.</summary>
    public void Reset()
    {
        Abort(client);
        Abort(server);
    }

    public static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }

    private async Task RunAsync()
    {
        var toServer = ToServerAsync();
        var toClient = FramesToClientAsync();

        // Either direction ending ends the connection; the other pump then fails on its disposed socket.
        await Task.WhenAny(toServer, toClient).ConfigureAwait(false);
        Reset();
        await Task.WhenAll(toServer, toClient).ConfigureAwait(false);
        proxy.Closed(this);
    }

    private async Task ToServerAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                if (proxy.DiscardFromClients)
                {
                    proxy.CountDiscarded(read);
                    continue;
                }

                await server.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset or closed: the connection is over.
        }
    }

    private async Task FramesToClientAsync()
    {
        var buffer = new byte[64 * 1024];
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                var frame = FindFrame(buffer.AsSpan(start, end - start));
                if (frame == 0)
                {
                    // Incomplete: keep what is unread at the front, grow when one frame fills the buffer, read more.
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    if (end == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var read = await server.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    end += read;
                    continue;
                }

                var bytes = buffer.AsMemory(start, frame);
                start += frame;
                if (!ShouldDrop(bytes.Span))
                {
                    await client.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset or closed: the connection is over.
        }
    }

    /// <summary>The length of the first complete frame (control line, and payload for MSG/HMSG), or 0 when more bytes are needed.</summary>
    private static int FindFrame(ReadOnlySpan<byte> data)
    {
        var lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return 0;
        }

        var line = data[..lineEnd];
        if (!line.StartsWith("MSG "u8) && !line.StartsWith("HMSG "u8))
        {
            return lineEnd + 2;
        }

        // The last field of MSG and HMSG is the total payload size (headers included).
        var size = int.Parse(line[(line.LastIndexOf((byte)' ') + 1)..], provider: null);
        var total = lineEnd + 2 + size + 2;
        return data.Length >= total ? total : 0;
    }

    private bool ShouldDrop(ReadOnlySpan<byte> frame)
    {
        if (proxy.DropFromServer is not { } drop || !(frame.StartsWith("MSG "u8) || frame.StartsWith("HMSG "u8)))
        {
            return false;
        }

        var lineEnd = frame.IndexOf("\r\n"u8);
        var line = frame[..lineEnd];
        var afterVerb = line[(line.IndexOf((byte)' ') + 1)..];
        var subjectEnd = afterVerb.IndexOf((byte)' ');
        var subject = Encoding.UTF8.GetString(afterVerb[..subjectEnd]);
        var payload = frame[(lineEnd + 2)..^2].ToArray();
        if (!drop(subject, payload))
        {
            return false;
        }

        proxy.CountDropped();
        return true;
    }
}
