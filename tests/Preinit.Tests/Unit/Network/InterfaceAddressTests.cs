// The preinit network settings: addresses, netmasks (dotted or prefix length, contiguous only),
// the broadcast computed when it is not given, and messages that name the setting at fault.
using Preinit.Core.Network;
using Xunit;

namespace Preinit.Tests.Unit.Network;

public class InterfaceAddressTests
{
    [Theory]
    [InlineData("192.168.1.1", 0xC0A80101u)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData(" 10.0.0.1 ", 0x0A000001u)]
    public void Ipv4Address_TryParse_ReadsDottedQuads(string text, uint value)
    {
        Assert.True(Ipv4Address.TryParse(text, out var address, out var why), why);
        Assert.Equal(value, address.Value);
        Assert.Equal(text.Trim(), address.ToString());
    }

    [Theory]
    [InlineData("", "not four numbers")]
    [InlineData("192.168.1", "not four numbers")]
    [InlineData("192.168.1.1.1", "not four numbers")]
    [InlineData("192.168..1", "not four numbers")]
    [InlineData("192.168.1.256", "256 is more than 255")]
    [InlineData("192.168.010.1", "010 has a leading zero")]
    [InlineData("192.168.1.x", "'x' is not a number")]
    [InlineData("192.168.1.-1", "'-1' is not a number")]
    [InlineData("192.168.1.+1", "'+1' is not a number")]
    [InlineData("0x7f.0.0.1", "'0x7f' is not a number")]
    public void Ipv4Address_TryParse_RejectsWithTheReason(string text, string reason)
    {
        Assert.False(Ipv4Address.TryParse(text, out _, out var why));
        Assert.Contains(reason, why);
    }

    [Theory]
    [InlineData("255.255.255.0", 24)]
    [InlineData("255.255.255.255", 32)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.254.0", 23)]
    [InlineData("255.255.255.252", 30)]
    [InlineData("24", 24)]
    [InlineData("0", 0)]
    [InlineData("32", 32)]
    public void Netmask_TryParsePrefixLength_AcceptsContiguousMasksAndPrefixLengths(string text, int prefix)
    {
        Assert.True(Netmask.TryParsePrefixLength(text, out var parsed, out var why), why);
        Assert.Equal(prefix, parsed);
    }

    [Theory]
    [InlineData("255.0.255.0", "not contiguous")]
    [InlineData("255.255.255.1", "not contiguous")]
    [InlineData("0.255.255.255", "not contiguous")]
    [InlineData("33", "prefix length from 0 to 32")]
    [InlineData("-1", "prefix length from 0 to 32")]
    [InlineData("", "prefix length from 0 to 32")]
    [InlineData("255.255.256.0", "256 is more than 255")]
    public void Netmask_TryParsePrefixLength_RejectsWithTheReason(string text, string reason)
    {
        Assert.False(Netmask.TryParsePrefixLength(text, out _, out var why));
        Assert.Contains(reason, why);
    }

    [Theory]
    [InlineData("192.168.1.1", "255.255.255.0", "", "192.168.1.255")]
    [InlineData("10.1.2.3", "8", "", "10.255.255.255")]
    [InlineData("172.16.5.4", "255.255.240.0", null, "172.16.15.255")]
    [InlineData("192.168.1.1", "255.255.255.252", "", "192.168.1.3")]
    [InlineData("192.168.1.1", "24", "192.168.1.127", "192.168.1.127")]
    [InlineData("192.168.1.1", "32", "255.255.255.255", "255.255.255.255")]
    public void TryCreate_GivenOrComputedBroadcast(string ip, string netmask, string? broadcast, string expected)
    {
        var problems = new List<string>();
        var config = InterfaceAddress.TryCreate(NetworkSettingNames.Preinit, "eth0", ip, netmask, broadcast, problems);
        Assert.Empty(problems);
        Assert.Equal(expected, config!.Broadcast.ToString());
        Assert.Equal($"{ip}/{config.PrefixLength} brd {expected} dev eth0", config.ToString());
    }

    [Theory]
    [InlineData("eth0", "192.168.1.1", "255.0.255.0", "", "pi_netmask='255.0.255.0' is not a netmask: its one bits are not contiguous")]
    [InlineData("eth0", "192.168.1.300", "24", "", "pi_ip='192.168.1.300' is not an IPv4 address: 300 is more than 255")]
    [InlineData("eth0", "192.168.1.1", "24", "everyone", "pi_broadcast='everyone' is not an IPv4 address")]
    [InlineData("eth0", "192.168.1.1", "31", "", "pi_broadcast is empty and a /31 network has no broadcast address: set pi_broadcast")]
    [InlineData("", "192.168.1.1", "24", "", "pi_ifname='' is not an interface name: it is empty")]
    [InlineData("a-very-long-ifname", "192.168.1.1", "24", "", "pi_ifname='a-very-long-ifname' is not an " +
        "interface name: longer than 15 bytes")]
    [InlineData("eth0:1", "192.168.1.1", "24", "", "pi_ifname='eth0:1' is not an interface name: it contains '/', ':' or white space")]
    [InlineData("..", "192.168.1.1", "24", "", "pi_ifname='..' is not an interface name")]
    [InlineData("eth0", "0.0.0.0", "24", "", "pi_ip='0.0.0.0' is the unspecified address (every interface): " +
        "give the address this machine should have on eth0")]
    [InlineData("eth0", "255.255.255.255", "24", "", "pi_ip='255.255.255.255' is the limited broadcast address")]
    [InlineData("eth0", "192.168.1.255", "24", "", "pi_ip='192.168.1.255' is the broadcast address of its /24 network")]
    [InlineData("eth0", "192.168.1.0", "24", "", "pi_ip='192.168.1.0' is the network address of its /24 network")]
    [InlineData("eth0", "224.0.0.1", "24", "", "pi_ip='224.0.0.1' is a multicast address")]
    [InlineData("eth0", "127.0.0.1", "8", "", "pi_ip='127.0.0.1' is a loopback address")]
    [InlineData("eth0", "240.1.2.3", "24", "", "pi_ip='240.1.2.3' is a reserved address")]
    public void TryCreate_NamesTheSettingAtFault(string ifname, string ip, string netmask, string broadcast, string message)
    {
        var problems = new List<string>();
        Assert.Null(InterfaceAddress.TryCreate(NetworkSettingNames.Preinit, ifname, ip, netmask, broadcast, problems));
        Assert.Contains(problems, p => p.StartsWith(message));
    }

    [Fact]
    public void TryCreate_Failsafe_NamesTheFailsafeSettings()
    {
        var problems = new List<string>();
        Assert.Null(InterfaceAddress.TryCreate(NetworkSettingNames.Failsafe, "eth0", "1.2.3", "255.255.0.255", "", problems));
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("fs_failsafe_ip='1.2.3'", problems[0]);
        Assert.StartsWith("fs_failsafe_netmask='255.255.0.255'", problems[1]);
    }

    [Theory]
    [InlineData("0.0.0.0", "24")]
    [InlineData("192.168.1.255", "255.255.255.0")]
    [InlineData("239.1.1.1", "24")]
    public void TryCreate_Failsafe_RefusesAnAddressThatWouldOpenTheLoginBeyondOneHost(string ip, string netmask)
    {
        var problems = new List<string>();
        Assert.Null(InterfaceAddress.TryCreate(NetworkSettingNames.Failsafe, "eth0", ip, netmask, "", problems));
        Assert.StartsWith($"fs_failsafe_ip='{ip}' is ", Assert.Single(problems));
    }

    [Theory]
    [InlineData("10.0.0.1", "31")]    // a point-to-point /31 has no broadcast or network address
    [InlineData("192.168.1.1", "24")]
    public void TryCreate_HostAddresses_AreAccepted(string ip, string netmask) =>
        Assert.NotNull(InterfaceAddress.TryCreate(NetworkSettingNames.Failsafe, "eth0", ip, netmask, "10.0.0.255", new List<string>()));
}
