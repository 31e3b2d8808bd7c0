using System.Net;
using System.Net.Sockets;
using DiffusionFunctions.Core.Notifications;

namespace DiffusionFunctions.Worker.Webhooks;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: resolves the host itself and checks every
/// address with <see cref="CallbackAddressPolicy"/> immediately before connecting to it, so the check applies to the address
/// actually connected to (a DNS answer that changes after submission, or a name that resolves to 127.0.0.1, cannot slip
/// through). Refused addresses are skipped; when none is left the connection fails with
/// <see cref="CallbackAddressRefusedException"/>.
/// </summary>
internal static class GuardedConnectCallback
{
    /// <summary>Creates a handler with the guard; no proxy (a proxy would connect on our behalf, unchecked), no redirects.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateAddresses, cancellationToken),
    };

    /// <summary>Resolves <paramref name="endPoint"/>, filters its addresses and connects to the first allowed one that answers.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateAddresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => CallbackAddressPolicy.IsAllowed(a, allowPrivateAddresses)).ToList();
        if (allowed.Count == 0)
        {
            throw new CallbackAddressRefusedException(
                $"Callback host '{endPoint.Host}' resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: loopback, link-local or private addresses are refused (DiffusionFunctions:Events:AllowPrivateCallbackAddresses is off).");
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException($"Could not connect to callback host '{endPoint.Host}'.", last);
    }
}
