// The address preinit gives its network interface (preinit_ip with pi_*), or failsafe gives its own
// (fs_failsafe_*): interface, address, prefix length and broadcast, checked once, with messages that
// name the setting at fault.
namespace Preinit.Core.Network;

/// <summary>The names of the four settings that describe one interface's address.</summary>
public sealed record NetworkSettingNames(string Interface, string Address, string Netmask, string Broadcast)
{
    public static NetworkSettingNames Preinit { get; } = new("pi_ifname", "pi_ip", "pi_netmask", "pi_broadcast");
    public static NetworkSettingNames Failsafe { get; } =
        new("fs_failsafe_ifname", "fs_failsafe_ip", "fs_failsafe_netmask", "fs_failsafe_broadcast");
}

public sealed record InterfaceAddress(string Interface, Ipv4Address Address, int PrefixLength, Ipv4Address Broadcast)
{
    /// <summary>The subnet's broadcast address: the address with every host bit set (192.168.1.1/24 gives 192.168.1.255).</summary>
    public static Ipv4Address BroadcastOf(Ipv4Address address, int prefixLength) =>
        new(address.Value | ~Netmask.FromPrefixLength(prefixLength).Value);

    /// <summary>Reads the four settings; an empty broadcast is computed from the address and netmask. Returns null
    /// and adds one message per setting at fault to <paramref name="problems"/> when any of them is unusable.</summary>
    public static InterfaceAddress? TryCreate(NetworkSettingNames names, string interfaceName, string address, string netmask,
        string? broadcast, ICollection<string> problems)
    {
        var before = problems.Count;
        if (InterfaceNameProblem(interfaceName) is { } bad)
            problems.Add($"{names.Interface}='{interfaceName}' is not an interface name: {bad}");
        if (!Ipv4Address.TryParse(address, out var ip, out var why))
            problems.Add($"{names.Address}='{address}' is not an IPv4 address: {why}");
        if (!Netmask.TryParsePrefixLength(netmask, out var prefix, out why))
            problems.Add($"{names.Netmask}='{netmask}' is not a netmask: {why}");
        if (problems.Count == before && NotAHostAddress(ip, prefix) is { } notHost)
            problems.Add($"{names.Address}='{address}' is {notHost}: give the address this machine should have on {interfaceName.Trim()}");

        var brd = default(Ipv4Address);
        if (!string.IsNullOrWhiteSpace(broadcast))
        {
            if (!Ipv4Address.TryParse(broadcast, out brd, out why))
                problems.Add($"{names.Broadcast}='{broadcast}' is not an IPv4 address: {why}");
        }
        else if (problems.Count == before)
        {
            if (prefix >= 31)
                problems.Add($"{names.Broadcast} is empty and a /{prefix} network has no broadcast address: set {names.Broadcast}");
            brd = BroadcastOf(ip, prefix);
        }
        return problems.Count == before ? new InterfaceAddress(interfaceName.Trim(), ip, prefix, brd) : null;
    }

    /// <summary>Why an address cannot be one host's address on one link, or null. Failsafe's telnetd listens on it with
    /// a root shell and no password: 0.0.0.0 would listen on every interface, a broadcast or multicast address is
    /// not an address to listen on, and a loopback address is not on the link.</summary>
    public static string? NotAHostAddress(Ipv4Address ip, int prefixLength) => (ip.Value >> 24) switch
    {
        _ when ip.Value == 0 => "the unspecified address (every interface)",
        _ when ip.Value == uint.MaxValue => "the limited broadcast address",
        0 => "in 0.0.0.0/8, which names no host",
        127 => "a loopback address, not on any link",
        >= 224 and <= 239 => "a multicast address",
        >= 240 => "a reserved address (240.0.0.0/4)",
        _ when prefixLength < 31 && ip == BroadcastOf(ip, prefixLength) => $"the broadcast address of its /{prefixLength} network",
        _ when prefixLength < 31 && (ip.Value & ~Netmask.FromPrefixLength(prefixLength).Value) == 0 =>
            $"the network address of its /{prefixLength} network",
        _ => null,
    };

    /// <summary>The kernel's rule for a device name (dev_valid_name in net/core/dev.c): 1 to 15 bytes,
    /// not "." or "..", no '/', ':' or white space. Null when the name is valid.</summary>
    public static string? InterfaceNameProblem(string name)
    {
        var n = name.Trim();
        if (n.Length == 0) return "it is empty";
        if (System.Text.Encoding.UTF8.GetByteCount(n) > 15) return "longer than 15 bytes";
        if (n is "." or "..") return "'.' and '..' are not names";
        if (n.Any(c => c is '/' or ':' || char.IsWhiteSpace(c))) return "it contains '/', ':' or white space";
        return null;
    }

    public override string ToString() => $"{Address}/{PrefixLength} brd {Broadcast} dev {Interface}";
}
