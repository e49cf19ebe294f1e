// Netlink requests as the kernel headers lay them out (NLMSG_ALIGN, RTA_ALIGN), and attribute walks
// that stop at a damaged length instead of reading past the message.
using Preinit.Boot.Network;
using Preinit.Interop;
using Xunit;

namespace Preinit.Tests.Unit.Network;

public class NetlinkRequestTests
{
    [Fact]
    public void NetlinkRequest_LaysOutHeaderFamilyHeaderAndAlignedAttributes()
    {
        var header = new ifaddrmsg { ifa_family = Libc.AF_INET, ifa_prefixlen = 24, ifa_index = 7 };
        var local = in_addr.FromHostOrder(0xC0A80101);
        var broadcast = in_addr.FromHostOrder(0xC0A801FF);

        var message = NetlinkMessage.Request(Libc.RTM_NEWADDR, (ushort)(Libc.NLM_F_REQUEST | Libc.NLM_F_ACK), 42, header,
            (Libc.IFA_LOCAL, local), (Libc.IFA_BROADCAST, broadcast));

        Assert.Equal(Convert.FromHexString(
            "28000000" + "1400" + "0500" + "2a000000" + "00000000" + // nlmsghdr: len 40, RTM_NEWADDR, REQUEST|ACK, seq 42, pid 0
            "02180000" + "07000000" +                                  // ifaddrmsg: AF_INET, /24, flags 0, scope 0, index 7
            "08000200" + "c0a80101" +                                  // rtattr IFA_LOCAL 192.168.1.1
            "08000400" + "c0a801ff"), message);                        // rtattr IFA_BROADCAST 192.168.1.255
    }

    [Fact]
    public void Attributes_StopAtADamagedLength()
    {
        var payload = Convert.FromHexString("08000200" + "c0a80101" + "ff000300" + "6c6f00");

        var attributes = NetlinkMessage.Attributes(payload, 0).ToList();

        Assert.Equal(Libc.IFA_LOCAL, Assert.Single(attributes).Type);
    }
}
