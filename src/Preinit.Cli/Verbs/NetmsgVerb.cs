// `preinit netmsg IFNAME TEXT [--to ADDRESS]`: one preinit network message, as OpenWrt's netmsg
// sends it (1001 bytes, 0xDE 0xAD, the text, zeros; UDP port 4919), out of IFNAME only, to the
// broadcast address of its first IPv4 address unless --to says otherwise. It changes no address.
using System.CommandLine;
using Preinit.Boot.Network;
using Preinit.Core.Network;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class NetmsgVerb
{
    public static Command Create()
    {
        var device = new Argument<string>("IFNAME") { Description = "the network interface to send from, e.g. eth0" };
        var text = new Argument<string>("TEXT") { Description = "the message" };
        var to = new Option<string?>("--to") { Description = "destination address (default: the interface's broadcast address)" };
        var command = new Command("netmsg", "send a preinit network message (UDP broadcast to port 4919), as OpenWrt's netmsg does") { device, text, to };
        command.SetAction(result =>
        {
            var name = result.GetValue(device)!;
            if (InterfaceAddress.InterfaceNameProblem(name) is { } bad) return Fail($"'{name}' is not an interface name: {bad}");
            try
            {
                using var netlink = new RouteNetlink();
                var index = Libc.IfNametoindex(name);
                if (index == 0) return Fail($"there is no network interface {name} (interfaces here: {PreinitNetwork.Interfaces(netlink)})");
                in_addr destination;
                if (result.GetValue(to) is { } given)
                {
                    if (!Ipv4Address.TryParse(given, out var address, out var why)) return Fail($"--to '{given}' is not an IPv4 address: {why}");
                    destination = in_addr.FromHostOrder(address.Value);
                }
                else if (netlink.Addresses(index, name).FirstOrDefault(a => a.Broadcast is not null) is { Broadcast: { } broadcast })
                    destination = broadcast;
                else
                    return Fail($"{name} has no IPv4 address with a broadcast address: give one with --to ADDRESS, " +
                        $"or add one first (ip address add 192.168.1.1/24 brd + dev {name})");
                Libc.SendUdp(name, destination, NetMessage.Port, NetMessage.Datagram(result.GetValue(text)!));
                Console.WriteLine($"sent {NetMessage.DatagramLength} bytes to {destination}:{NetMessage.Port} on {name}");
                return 0;
            }
            catch (IOException e) { return Fail(e.Message); }
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"Error: {message}");
        return 1;
    }
}
