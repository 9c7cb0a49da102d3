using System.Net;
using System.Net.Sockets;

namespace Imb.Tests;

/// <summary>Loopback ports for tests.</summary>
internal static class Ports
{
    /// <summary>A port nothing listens on: bound once by the system's choice, then released.</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
