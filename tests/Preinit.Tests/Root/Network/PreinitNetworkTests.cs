// The preinit network for real, in network namespaces of the tests' own: a veth pair whose end pi0
// plays the PC's network card (preinit's side) and whose end peer0, in a second namespace, plays the
// machine at the other end of the cable, with a listener on UDP port 4919. What the kernel holds is
// read back with `ip -j`, independently of preinit's own netlink code.
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Preinit.Boot.Network;
using Preinit.Core.Network;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root.Network;

public class PreinitNetworkTests
{
    private static readonly InterfaceAddress Pi0 = Parse("pi0", "192.168.1.1", "255.255.255.0");

    [RootFact]
    public void Up_DownLink_IsUpWithTheAddressAndBroadcast()
    {
        using var lab = new Lab();
        Assert.Equal((false, ""), lab.Pi0State());

        var (ok, notes) = lab.Preinit(net => net.Up());

        Assert.True(ok, string.Join("\n", notes));
        Assert.Equal((true, "192.168.1.1/24 brd 192.168.1.255"), lab.Pi0State());
        Assert.Contains("pi0 up with 192.168.1.1/24 brd 192.168.1.255", notes);
    }

    [RootFact]
    public void Down_AfterUpOnADownLink_RemovesTheAddressAndPutsTheLinkDown()
    {
        using var lab = new Lab();
        var net = lab.Network(Pi0);
        Assert.True(lab.Boot.Run(net.Up));

        Assert.True(lab.Boot.Run(net.Down));

        Assert.Equal((false, ""), lab.Pi0State());
        Assert.False(net.IsUp);
    }

    [RootFact]
    public void Down_KeepsAddressesPreinitDidNotAdd()
    {
        using var lab = new Lab();
        lab.Boot.Ip("address", "add", "10.9.8.7/8", "brd", "+", "dev", "pi0");
        var net = lab.Network(Pi0);

        Assert.True(lab.Boot.Run(net.Up));
        Assert.True(lab.Boot.Run(net.Down));

        Assert.Equal((false, "10.9.8.7/8 brd 10.255.255.255"), lab.Pi0State());
    }

    [RootFact]
    public void Down_WhenTheLinkWasUpWithTheAddress_LeavesBothAsTheyWere()
    {
        using var lab = new Lab();
        lab.Boot.Ip("link", "set", "pi0", "up");
        lab.Boot.Ip("address", "add", "192.168.1.1/24", "brd", "192.168.1.255", "dev", "pi0");

        var (ok, notes) = lab.Preinit(net => net.Up() && net.Down());

        Assert.True(ok, string.Join("\n", notes));
        Assert.Equal((true, "192.168.1.1/24 brd 192.168.1.255"), lab.Pi0State());
        Assert.Contains("pi0 has 192.168.1.1/24 already: left as it is, and kept after preinit", notes);
        Assert.Contains("pi0: address kept, link left up", notes);
    }

    [RootFact]
    public void Send_TheListenerAtTheOtherEndGetsExactlyTheOpenWrtDatagrams()
    {
        using var lab = new Lab();
        using var listener = lab.Listen();
        var texts = new[] { "Doing OpenWrt Preinit\\n", "Please press button now to enter failsafe" };

        var (ok, notes) = lab.Preinit(net => net.Up() && texts.All(net.Send));

        Assert.True(ok, string.Join("\n", notes));
        foreach (var text in texts)
        {
            var (datagram, from) = Receive(listener);
            var expected = new byte[1001];
            expected[0] = 0xDE;
            expected[1] = 0xAD;
            Encoding.UTF8.GetBytes(text).CopyTo(expected, 2);
            Assert.Equal(expected, datagram);
            Assert.Equal(IPAddress.Parse("192.168.1.1"), from.Address);
        }
        Assert.Equal(0, listener.Available);
    }

    [RootFact]
    public void Up_MissingInterface_SaysWhichAndHowToNameTheRightOne()
    {
        using var lab = new Lab();

        var (ok, notes) = lab.Preinit(net => net.Up() || net.Send("not sent"), Parse("eth9", "192.168.1.1", "24"));

        Assert.False(ok);
        var message = Assert.Single(notes, n => n.Contains("eth9"));
        Assert.Contains("there is no network interface eth9 (interfaces here: lo, pi0)", message);
        Assert.Contains("pi_ifname=NAME in /lib/preinit/00_preinit.conf", message);
        Assert.Contains("preinit.pi_ifname=NAME on the kernel command line", message);
    }

    [RootFact]
    public void Up_AddressRefused_SaysWhyAndPutsTheLinkBackDown()
    {
        using var lab = new Lab();
        var refused = new InterfaceAddress("pi0", Pi0.Address, 33, Pi0.Broadcast); // a prefix the kernel refuses

        var (ok, notes) = lab.Preinit(net => net.Up(), refused);

        Assert.False(ok);
        Assert.Contains(notes, n => n.Contains("RTM_NEWADDR 192.168.1.1/33 brd 192.168.1.255 dev pi0: Invalid argument (EINVAL)"));
        Assert.Equal((false, ""), lab.Pi0State());
    }

    [RootFact]
    public void RouteNetlink_ReadsBackWhatIpSet()
    {
        using var lab = new Lab();
        lab.Boot.Ip("link", "set", "pi0", "up");
        lab.Boot.Ip("address", "add", "192.168.1.1/24", "brd", "+", "dev", "pi0");

        var (link, addresses) = lab.Boot.Run(() =>
        {
            using var netlink = new RouteNetlink();
            var index = Libc.IfNametoindex("pi0");
            return (netlink.Link(index, "pi0"), netlink.Addresses(index, "pi0"));
        });

        Assert.True(link.IsUp);
        Assert.Equal("pi0", link.Name);
        Assert.Equal("192.168.1.1/24 brd 192.168.1.255", Assert.Single(addresses).ToString());
    }

    [RootFact]
    public void NetmsgVerb_SendsToTheInterfacesBroadcastAddress()
    {
        using var lab = new Lab();
        using var listener = lab.Listen();
        lab.Boot.Ip("address", "add", "192.168.1.1/24", "brd", "+", "dev", "pi0");
        lab.Boot.Ip("link", "set", "pi0", "up");

        var (code, output, error) = lab.Boot.Run(() => Verbs.Run("netmsg", "pi0", "hello from the verb"));

        Assert.True(code == 0, error);
        Assert.Equal("sent 1001 bytes to 192.168.1.255:4919 on pi0\n", output);
        Assert.True(NetMessage.TryRead(Receive(listener).Datagram, out var text));
        Assert.Equal("hello from the verb", text);
    }

    [RootFact]
    public void NetmsgVerb_MissingInterface_ListsTheOnesThere()
    {
        using var lab = new Lab();

        var (code, _, error) = lab.Boot.Run(() => Verbs.Run("netmsg", "eth9", "hello"));

        Assert.Equal(1, code);
        Assert.Equal("Error: there is no network interface eth9 (interfaces here: lo, pi0)\n", error);
    }

    private static InterfaceAddress Parse(string name, string ip, string netmask)
    {
        var problems = new List<string>();
        return InterfaceAddress.TryCreate(NetworkSettingNames.Preinit, name, ip, netmask, null, problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    /// <summary>The next datagram; the wait only keeps a failing test from hanging, nothing is timed.</summary>
    private static (byte[] Datagram, IPEndPoint From) Receive(Socket listener)
    {
        Assert.True(listener.Poll(TimeSpan.FromSeconds(30), SelectMode.SelectRead), "no datagram reached the listener");
        var buffer = new byte[4096];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = listener.ReceiveFrom(buffer, ref from);
        return (buffer[..n], (IPEndPoint)from);
    }

    /// <summary>pi0 in the namespace where preinit runs, down and without addresses; peer0 in a second one,
    /// up with 192.168.1.2/24, so that a broadcast to 192.168.1.255 is delivered to its sockets.</summary>
    private sealed class Lab : IDisposable
    {
        public NetNamespace Boot { get; } = new();
        public NetNamespace Peer { get; } = new();

        public Lab()
        {
            try
            {
                Boot.Ip("link", "add", "pi0", "type", "veth", "peer", "name", "peer0");
                Boot.Ip("link", "set", "peer0", "netns", Peer.ThreadId.ToString());
                Peer.Ip("address", "add", "192.168.1.2/24", "brd", "+", "dev", "peer0");
                Peer.Ip("link", "set", "peer0", "up");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public PreinitNetwork Network(InterfaceAddress config, List<string>? notes = null) =>
            new(config, line => notes?.Add(line));

        /// <summary>Runs <paramref name="act"/> on a PreinitNetwork in preinit's namespace; returns its answer and the notes.</summary>
        public (bool Ok, List<string> Notes) Preinit(Func<PreinitNetwork, bool> act, InterfaceAddress? config = null)
        {
            var notes = new List<string>();
            var net = Network(config ?? Pi0, notes);
            return (Boot.Run(() => act(net)), notes);
        }

        /// <summary>A UDP socket on port 4919 in the peer's namespace.</summary>
        public Socket Listen() => Peer.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, NetMessage.Port));
            return socket;
        });

        /// <summary>Whether pi0 is up, and its IPv4 addresses as "local/prefix brd broadcast, ...", from `ip -j address`.</summary>
        public (bool Up, string Inet) Pi0State()
        {
            using var json = JsonDocument.Parse(Boot.Ip("-j", "address", "show", "dev", "pi0"));
            var link = json.RootElement[0];
            var up = link.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP");
            var inet = link.GetProperty("addr_info").EnumerateArray()
                .Where(a => a.GetProperty("family").GetString() == "inet")
                .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()} brd " +
                    (a.TryGetProperty("broadcast", out var b) ? b.GetString() : "none"));
            return (up, string.Join(", ", inet));
        }

        public void Dispose()
        {
            Boot.Dispose();
            Peer.Dispose();
        }
    }
}
