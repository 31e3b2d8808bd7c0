using System.Net;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Worker.Webhooks;

namespace DiffusionFunctions.Worker.Tests.Webhooks;

public sealed class CallbackAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback /8")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("10.1.2.3", "private 10/8")]
    [InlineData("172.16.0.1", "private 172.16/12, low end")]
    [InlineData("172.31.255.254", "private 172.16/12, high end")]
    [InlineData("192.168.1.1", "private 192.168/16")]
    [InlineData("100.64.0.1", "carrier-grade NAT 100.64/10")]
    [InlineData("100.127.255.255", "carrier-grade NAT, high end")]
    [InlineData("169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "IPv6 loopback")]
    [InlineData("::", "IPv6 unspecified")]
    [InlineData("fe80::1", "IPv6 link-local")]
    [InlineData("fc00::1", "IPv6 unique local fc00::/7")]
    [InlineData("fd12:3456::1", "IPv6 unique local fd")]
    [InlineData("ff02::1", "IPv6 multicast")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped loopback")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped private")]
    [InlineData("::ffff:169.254.169.254", "IPv4-mapped link-local")]
    [InlineData("::127.0.0.1", "IPv4-compatible loopback")]
    [InlineData("64:ff9b::a00:1", "NAT64 of 10.0.0.1")]
    [InlineData("2002:7f00:1::", "6to4 of 127.0.0.1")]
    public void Refuses_non_public_addresses(string address, string why)
    {
        Assert.False(CallbackAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivate: false), why);
        Assert.True(CallbackAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivate: true), why + " (allowed by the option)");
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.1")] // just above
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")] // just above
    [InlineData("20.50.2.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Allows_public_addresses(string address)
    {
        Assert.True(CallbackAddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivate: false));
    }
}
