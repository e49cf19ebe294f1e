// What the preinit network does before it is up: nothing to undo, and no message sent (with a note),
// so the hooks can call it in any order without touching the kernel.
using Preinit.Boot.Network;
using Preinit.Core.Network;
using Xunit;

namespace Preinit.Tests.Unit.Network;

public class PreinitNetworkStateTests
{
    private static readonly InterfaceAddress Eth0 = new("eth0", new Ipv4Address(0xC0A80101), 24, new Ipv4Address(0xC0A801FF));

    [Fact]
    public void Send_BeforeUp_SaysSoAndSendsNothing()
    {
        var notes = new List<string>();

        Assert.False(new PreinitNetwork(Eth0, notes.Add).Send("Doing OpenWrt Preinit"));

        Assert.Equal("preinit network: not up, message not sent: Doing OpenWrt Preinit", Assert.Single(notes));
    }

    [Fact]
    public void Down_BeforeUp_HasNothingToUndo()
    {
        var notes = new List<string>();

        Assert.True(new PreinitNetwork(Eth0, notes.Add).Down());

        Assert.Empty(notes);
    }
}
