// `preinit netmsg IFNAME TEXT [--to ADDRESS]`: one preinit network message, as OpenWrt's netmsg
// sends it (1001 bytes, 0xDE 0xAD, the text, zeros; UDP port 4919), out of IFNAME only, to the
// broadcast address of its first IPv4 address unless --to says otherwise. It changes no address.
using System.CommandLine;
using Preinit.Boot.Network;
using Preinit.Core.Network;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public sealed class NetmsgVerb : Verb
{
    public Argument<string> Interface { get; } = new("IFNAME") { Description = "the network interface to send from, e.g. eth0" };
    public Argument<string> Text { get; } = new("TEXT") { Description = "the message" };
    public Option<string?> To { get; } = new("--to") { Description = "destination address (default: the interface's broadcast address)" };

    public NetmsgVerb() : base("netmsg", "send a preinit network message (UDP broadcast to port 4919), as OpenWrt's netmsg does")
    {
        Add(Interface);
        Add(Text);
        Add(To);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var name = result.GetValue(Interface)!;
        if (InterfaceAddress.InterfaceNameProblem(name) is { } bad) return Fail(error, $"'{name}' is not an interface name: {bad}");
        try
        {
            using var netlink = new RouteNetlink();
            var index = Libc.IfNametoindex(name);
            if (index == 0)
                return Fail(error, $"there is no network interface {name} (interfaces here: {PreinitNetwork.Interfaces(netlink)})");
            in_addr destination;
            if (result.GetValue(To) is { } given)
            {
                if (!Ipv4Address.TryParse(given, out var address, out var why))
                    return Fail(error, $"--to '{given}' is not an IPv4 address: {why}");
                destination = in_addr.FromHostOrder(address.Value);
            }
            else if (netlink.Addresses(index, name).FirstOrDefault(a => a.Broadcast is not null) is { Broadcast: { } broadcast })
                destination = broadcast;
            else
                return Fail(error, $"{name} has no IPv4 address with a broadcast address: give one with --to ADDRESS, " +
                    $"or add one first (ip address add 192.168.1.1/24 brd + dev {name})");
            Libc.SendUdp(name, destination, NetMessage.Port, NetMessage.Datagram(result.GetValue(Text)!));
            output.WriteLine($"sent {NetMessage.DatagramLength} bytes to {destination}:{NetMessage.Port} on {name}");
            return 0;
        }
        catch (IOException e) { return Fail(error, e.Message); }
    }
}
