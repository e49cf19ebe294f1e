// The preinit message datagram, byte for byte as OpenWrt's netmsg applet builds it, and the
// condition under which preinit_net_echo sends one.
using System.Text;
using Preinit.Core.Network;
using Xunit;

namespace Preinit.Tests.Unit.Network;

public class NetMessageTests
{
    [Theory]
    [InlineData("Doing OpenWrt Preinit\\n")]
    [InlineData("")]
    [InlineData("Please press button now to enter failsafe")]
    [InlineData("ümlaut ✓")]
    public void Datagram_Is1001BytesOfMagicTextAndZeros(string text)
    {
        var datagram = NetMessage.Datagram(text);
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(1001, datagram.Length);
        Assert.Equal(new byte[] { 0xDE, 0xAD }, datagram[..2]);
        Assert.Equal(bytes, datagram[2..(2 + bytes.Length)]);
        Assert.All(datagram[(2 + bytes.Length)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Datagram_CutsTheTextAt998BytesAndKeepsTheLastByteZero()
    {
        var datagram = NetMessage.Datagram(new string('x', 2000));

        Assert.Equal(1001, datagram.Length);
        Assert.All(datagram[2..1000], b => Assert.Equal((byte)'x', b));
        Assert.Equal(0, datagram[1000]);
    }

    [Fact]
    public void Datagram_EndsTheTextAtItsFirstNul()
    {
        var datagram = NetMessage.Datagram("before\0after");

        Assert.Equal("before"u8.ToArray(), datagram[2..8]);
        Assert.All(datagram[8..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void TryRead_GivesTheTextBack()
    {
        Assert.True(NetMessage.TryRead(NetMessage.Datagram("Entering Failsafe!"), out var text));
        Assert.Equal("Entering Failsafe!", text);
    }

    [Fact]
    public void TryRead_RejectsADatagramWithoutTheMagic() =>
        Assert.False(NetMessage.TryRead("hello"u8, out _));

    [Fact]
    public void Port_Is0x1337() => Assert.Equal(0x1337, NetMessage.Port);

    // [ "$pi_preinit_net_messages" = "y" ] || { [ "$pi_failsafe_net_message" = "true" ] && [ "$pi_preinit_no_failsafe_netmsg" != "y" ]; }
    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(true, false, false, true)]
    [InlineData(true, false, true, true)]
    [InlineData(true, true, true, true)]
    [InlineData(false, true, false, true)]
    [InlineData(false, true, true, false)]
    [InlineData(false, false, true, false)]
    public void Enabled_FollowsPreinitNetEcho(bool netMessages, bool failsafeMessage, bool noFailsafeNetmsg, bool sent) =>
        Assert.Equal(sent, NetMessage.Enabled(netMessages, failsafeMessage, noFailsafeNetmsg));
}
