using System.Net;
using System.Net.Sockets;

namespace DiffusionFunctions.Hosting.Tests.RealHost;

/// <summary>A loopback port the kernel had free a moment ago (the host binds it next; a lost race fails its start, with its log).</summary>
public static class FreeTcpPort
{
    /// <summary>Picks one.</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
