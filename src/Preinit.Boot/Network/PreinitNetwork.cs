// preinit_ip, preinit_net_echo and preinit_ip_deconfig (OpenWrt's lib/preinit/10_indicate_preinit):
// one interface brought up with one IPv4 address so that preinit can broadcast its messages, and
// left afterwards as it was found. OpenWrt's deconfig flushes every IPv4 address of the interface and
// puts it down; this one removes only the address it added, and puts the link down only if it was
// down before. Nothing here throws: every failure is a note naming the interface and the fix.
using Preinit.Core.Network;
using Preinit.Interop;

namespace Preinit.Boot.Network;

public sealed class PreinitNetwork(InterfaceAddress config, Action<string> note, string interfaceSetting = "pi_ifname")
{
    private int _index;
    private bool _linkWasUp, _addedAddress;

    public InterfaceAddress Config => config;

    /// <summary>True from a successful <see cref="Up"/> until <see cref="Down"/>.</summary>
    public bool IsUp { get; private set; }

    /// <summary>preinit_ip: the link up, then the address with its broadcast. False (with a note saying why)
    /// when the interface does not exist or the kernel refused; whatever this call changed is undone then.</summary>
    public bool Up()
    {
        if (IsUp) return true;
        try
        {
            using var netlink = new RouteNetlink();
            _index = Libc.IfNametoindex(config.Interface);
            if (_index == 0)
            {
                note(Missing(netlink));
                return false;
            }
            _linkWasUp = netlink.Link(_index, config.Interface).IsUp;
            if (!_linkWasUp) netlink.SetLinkUp(_index, config.Interface, true);
            try
            {
                _addedAddress = netlink.AddAddress(_index, config.Interface, Local, config.PrefixLength, Broadcast);
            }
            catch (IOException) when (!_linkWasUp)
            {
                // Put the link back down; the address's failure is the one worth reporting.
                try { netlink.SetLinkUp(_index, config.Interface, false); }
                catch (IOException) { }
                throw;
            }
            IsUp = true;
            if (!_linkWasUp && !WaitForCarrier(config.Interface))
                note($"{config.Interface} has no link after {CarrierWait.TotalSeconds:0} s (is a cable in?); messages may be lost");
            note(_addedAddress
                ? $"{config.Interface} up with {config.Address}/{config.PrefixLength} brd {config.Broadcast}" +
                    (_linkWasUp ? " (the link was up already)" : "")
                : $"{config.Interface} has {config.Address}/{config.PrefixLength} already: left as it is, and kept after preinit");
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            note($"preinit network: {config} failed: {e.Message}");
            return false;
        }
    }

    /// <summary>preinit_net_echo: one message to the broadcast address, port 4919, out of this interface only.
    /// False (with a note) when the network is not up or the datagram could not be sent.</summary>
    public bool Send(string text)
    {
        if (!IsUp)
        {
            note($"preinit network: not up, message not sent: {text}");
            return false;
        }
        try
        {
            Libc.SendUdp(config.Interface, Broadcast, NetMessage.Port, NetMessage.Datagram(text));
            return true;
        }
        catch (IOException e)
        {
            note($"preinit network: message not sent: {e.Message}");
            return false;
        }
    }

    /// <summary>preinit_ip_deconfig: removes the address if <see cref="Up"/> added it, and puts the link down if
    /// it was down before. Nothing to do when the network is not up. False (with a note) when that failed.</summary>
    public bool Down()
    {
        if (!IsUp) return true;
        IsUp = false;
        try
        {
            using var netlink = new RouteNetlink();
            if (_addedAddress && !netlink.DeleteAddress(_index, config.Interface, Local, config.PrefixLength))
                note($"{config.Interface}: {config.Address}/{config.PrefixLength} was removed by someone else");
            if (!_linkWasUp) netlink.SetLinkUp(_index, config.Interface, false);
            note($"{config.Interface}: " + (_addedAddress ? $"{config.Address}/{config.PrefixLength} removed" : "address kept")
                + (_linkWasUp ? ", link left up" : ", link down again"));
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            note($"preinit network: undoing {config} failed: {e.Message}");
            return false;
        }
    }

    /// <summary>How long a link just brought up may take to report a carrier: until then the kernel drops what is
    /// sent (the device's queue is the noop qdisc), so the first message would be lost.</summary>
    public static readonly TimeSpan CarrierWait = TimeSpan.FromSeconds(3);

    private static bool WaitForCarrier(string interfaceName)
    {
        var carrier = $"/sys/class/net/{interfaceName}/carrier";
        if (!File.Exists(carrier)) return true; // no sysfs here: nothing to wait for
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < CarrierWait)
        {
            try { if (File.ReadAllText(carrier).Trim() == "1") return true; }
            catch (IOException) { } // EINVAL while the device is not up yet
            Thread.Sleep(20);
        }
        return false;
    }

    private in_addr Local => in_addr.FromHostOrder(config.Address.Value);
    private in_addr Broadcast => in_addr.FromHostOrder(config.Broadcast.Value);

    /// <summary>The names of this network namespace's interfaces, for messages: "lo, eth0", or "none".</summary>
    public static string Interfaces(RouteNetlink netlink)
    {
        var names = new List<string>();
        foreach (var link in netlink.Links()) names.Add(link.Name);
        return names.Count > 0 ? string.Join(", ", names) : "none";
    }

    private string Missing(RouteNetlink netlink) =>
        $"preinit network: there is no network interface {config.Interface} (interfaces here: {Interfaces(netlink)}). " +
            $"Name the right one with {interfaceSetting}=NAME in /lib/preinit/00_preinit.conf " +
            $"or preinit.{interfaceSetting}=NAME on the kernel command line; preinit goes on without network messages";
}
