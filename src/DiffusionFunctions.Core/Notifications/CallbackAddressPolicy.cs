using System.Net;
using System.Net.Sockets;

namespace DiffusionFunctions.Core.Notifications;

/// <summary>
/// Decides whether a webhook may connect to an IP address: public unicast addresses only, unless private addresses are
/// explicitly allowed for local development. Shared by the API (an early refusal of literal addresses in
/// <c>callbackUrl</c>) and the worker (the real guard, at connect time). Refused: unspecified (0.0.0.0, ::), loopback (127/8, ::1), "this network"
/// (0/8), private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10), IETF
/// protocol assignments (192.0.0/24), benchmarking (198.18/15), multicast and reserved (224/3), unique local (fc00::/7),
/// multicast v6 (ff00::/8), site-local (fec0::/10), and the IPv4 forms embedded in IPv4-mapped, IPv4-compatible, NAT64
/// (64:ff9b::/96) and 6to4 (2002::/16) IPv6 addresses, which are judged as the IPv4 address they carry.
/// </summary>
public static class CallbackAddressPolicy
{
    /// <summary>True when a connection to <paramref name="address"/> is allowed.</summary>
    public static bool IsAllowed(IPAddress address, bool allowPrivate)
    {
        ArgumentNullException.ThrowIfNull(address);
        return allowPrivate || IsPublic(address);
    }

    /// <summary>True for a globally routable unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(address.MapToIPv4().GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        if (IPAddress.IPv6None.Equals(address) || IPAddress.IPv6Loopback.Equals(address))
        {
            return false;
        }

        // IPv4-compatible ::a.b.c.d (deprecated) and NAT64 64:ff9b::a.b.c.d carry an IPv4 address in the last 4 bytes.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0))
        {
            return IsPublicV4(b[12..16]);
        }

        // 6to4 2002:a.b.c.d::/48 carries one in bytes 2-5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(b[2..6]);
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xfe) == 0xfc // fc00::/7 unique local
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)); // 2001:db8::/32 documentation
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> b) => !(
        b[0] == 0 // 0.0.0.0/8 "this network"
        || b[0] == 10 // 10/8
        || b[0] == 127 // loopback
        || (b[0] == 100 && (b[1] & 0xc0) == 64) // 100.64/10 carrier-grade NAT
        || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata endpoints live here)
        || (b[0] == 172 && (b[1] & 0xf0) == 16) // 172.16/12
        || (b[0] == 192 && b[1] == 168) // 192.168/16
        || (b[0] == 192 && b[1] == 0 && b[2] == 0) // 192.0.0/24 IETF assignments
        || (b[0] == 192 && b[1] == 0 && b[2] == 2) // TEST-NET-1
        || (b[0] == 198 && (b[1] & 0xfe) == 18) // 198.18/15 benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100) // TEST-NET-2
        || (b[0] == 203 && b[1] == 0 && b[2] == 113) // TEST-NET-3
        || b[0] >= 224); // multicast, reserved, broadcast
}
