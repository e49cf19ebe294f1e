// The routing netlink client: network interfaces listed, a link set up or down, IPv4 addresses
// added, removed and read back, without ip(8); each request acknowledged or refused before it returns.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Preinit.Interop;

namespace Preinit.Boot.Network;

/// <summary>A network interface as RTM_NEWLINK describes it.</summary>
public readonly record struct NetworkLink(int Index, string Name, uint Flags)
{
    public bool IsUp => (Flags & Libc.IFF_UP) != 0;
}

/// <summary>An IPv4 address of an interface as RTM_NEWADDR describes it.</summary>
public readonly record struct NetworkAddress(int Index, in_addr Local, int PrefixLength, in_addr? Broadcast)
{
    public override string ToString() => $"{Local}/{PrefixLength}" + (Broadcast is { } b ? $" brd {b}" : "");
}

/// <summary>A NETLINK_ROUTE socket. Each request is acknowledged or refused before the call returns; a
/// refusal (NLMSG_ERROR) is thrown as a <see cref="SystemCallException"/> with the kernel's errno and a
/// description naming the interface and the address.</summary>
/// <remarks>The link goes up and down with RTM_NEWLINK and ifi_change = IFF_UP rather than the
/// SIOCGIFFLAGS/SIOCSIFFLAGS ioctls: the kernel changes that one flag itself, where the ioctls read all the
/// flags and write them back (racing with anything else that sets flags meanwhile), and every change
/// then goes through this one socket and is acknowledged or refused the same way.</remarks>
public sealed class RouteNetlink : IDisposable
{
    private readonly int _fd = Libc.OpenRouteSocket();
    private readonly byte[] _buffer = new byte[1 << 16];
    private uint _sequence;

    /// <summary>Every interface of this network namespace.</summary>
    public IReadOnlyList<NetworkLink> Links()
    {
        var links = new List<NetworkLink>();
        var ask = new ifinfomsg();
        Request(Libc.RTM_GETLINK, Libc.NLM_F_DUMP, ask, [], () => "RTM_GETLINK (dump)", (type, payload) =>
        {
            if (type == Libc.RTM_NEWLINK) links.Add(ReadLink(payload));
        });
        return links;
    }

    /// <summary>One interface by index; throws (ENODEV) when it is gone.</summary>
    public NetworkLink Link(int index, string name)
    {
        NetworkLink? link = null;
        var ask = new ifinfomsg { ifi_index = index };
        Request(Libc.RTM_GETLINK, Libc.NLM_F_ACK, ask, [], () => $"RTM_GETLINK dev {name} (index {index})", (type, payload) =>
        {
            if (type == Libc.RTM_NEWLINK) link = ReadLink(payload);
        });
        return link ?? throw new IOException($"RTM_GETLINK dev {name} (index {index}): no answer");
    }

    /// <summary>Sets IFF_UP, or clears it, and nothing else.</summary>
    public void SetLinkUp(int index, string name, bool up)
    {
        var change = new ifinfomsg { ifi_index = index, ifi_flags = up ? Libc.IFF_UP : 0, ifi_change = Libc.IFF_UP };
        Request(Libc.RTM_NEWLINK, Libc.NLM_F_ACK, change, [], () => $"RTM_NEWLINK dev {name} {(up ? "up" : "down")}");
    }

    /// <summary>The IPv4 addresses of one interface.</summary>
    public IReadOnlyList<NetworkAddress> Addresses(int index, string name)
    {
        var addresses = new List<NetworkAddress>();
        var ask = new ifaddrmsg { ifa_family = Libc.AF_INET };
        Request(Libc.RTM_GETADDR, Libc.NLM_F_DUMP, ask, [], () => $"RTM_GETADDR dev {name} (dump)", (type, payload) =>
        {
            if (type == Libc.RTM_NEWADDR && ReadAddress(payload) is { } a && a.Index == index) addresses.Add(a);
        });
        return addresses;
    }

    /// <summary>Adds local/prefix with this broadcast address, as `ip -4 address add` does. False when the
    /// interface already has this address and prefix (EEXIST): then nothing was changed.</summary>
    public bool AddAddress(int index, string name, in_addr local, int prefixLength, in_addr broadcast) =>
        ChangeAddress(Libc.RTM_NEWADDR, Libc.NLM_F_ACK | Libc.NLM_F_CREATE | Libc.NLM_F_EXCL, Errno.EEXIST,
            index, name, local, prefixLength, [(Libc.IFA_LOCAL, local), (Libc.IFA_ADDRESS, local), (Libc.IFA_BROADCAST, broadcast)],
            $"{local}/{prefixLength} brd {broadcast}");

    /// <summary>Removes local/prefix. False when the interface does not have it (EADDRNOTAVAIL).</summary>
    public bool DeleteAddress(int index, string name, in_addr local, int prefixLength) =>
        ChangeAddress(Libc.RTM_DELADDR, Libc.NLM_F_ACK, Errno.EADDRNOTAVAIL,
            index, name, local, prefixLength, [(Libc.IFA_LOCAL, local), (Libc.IFA_ADDRESS, local)], $"{local}/{prefixLength}");

    private bool ChangeAddress(ushort type, ushort flags, int harmless, int index, string name, in_addr local, int prefixLength,
        ReadOnlySpan<(ushort, in_addr)> attributes, string shown)
    {
        var message = new ifaddrmsg
        {
            ifa_family = Libc.AF_INET, ifa_prefixlen = (byte)prefixLength, ifa_scope = Libc.RT_SCOPE_UNIVERSE, ifa_index = (uint)index,
        };
        var verb = type == Libc.RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR";
        try
        {
            Request(type, flags, message, attributes, () => $"{verb} {shown} dev {name}");
            return true;
        }
        catch (SystemCallException e) when (e.Errno == harmless) { return false; }
    }

    private void Request<T>(ushort type, ushort flags, in T header, ReadOnlySpan<(ushort, in_addr)> attributes, Func<string> call,
        Action<ushort, byte[]>? reply = null) where T : unmanaged
    {
        var sequence = ++_sequence;
        Libc.Send(_fd, NetlinkMessage.Request(type, (ushort)(Libc.NLM_F_REQUEST | flags), sequence, header, attributes), call);
        while (true)
        {
            var n = Libc.Recv(_fd, _buffer);
            var headerLength = Marshal.SizeOf<nlmsghdr>();
            for (var offset = 0; offset + headerLength <= n;)
            {
                var nl = MemoryMarshal.Read<nlmsghdr>(_buffer.AsSpan(offset));
                if (nl.nlmsg_len < headerLength || offset + nl.nlmsg_len > n)
                    throw new InvalidDataException($"{call()}: the kernel's answer has a damaged netlink header");
                var payload = _buffer[(offset + headerLength)..(offset + (int)nl.nlmsg_len)];
                offset += Libc.NlmsgAlign((int)nl.nlmsg_len);
                if (nl.nlmsg_seq != sequence) continue; // an answer to an earlier request
                switch (nl.nlmsg_type)
                {
                    case Libc.NLMSG_ERROR or Libc.NLMSG_DONE:
                        // nlmsgerr.error is 0 for an acknowledgement and -errno for a refusal; a dump's NLMSG_DONE carries the same int.
                        var error = payload.Length >= sizeof(int) ? BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                        if (error < 0) throw new SystemCallException(call(), -error);
                        return;
                    case Libc.NLMSG_NOOP:
                        continue;
                    default:
                        reply?.Invoke(nl.nlmsg_type, payload);
                        break;
                }
            }
        }
    }

    private static NetworkLink ReadLink(byte[] payload)
    {
        var info = MemoryMarshal.Read<ifinfomsg>(payload);
        var name = "";
        foreach (var (type, value) in NetlinkMessage.Attributes(payload, Libc.NlmsgAlign(Marshal.SizeOf<ifinfomsg>())))
            if (type == Libc.IFLA_IFNAME) name = Encoding.UTF8.GetString(value).TrimEnd('\0');
        return new NetworkLink(info.ifi_index, name, info.ifi_flags);
    }

    private static NetworkAddress? ReadAddress(byte[] payload)
    {
        var info = MemoryMarshal.Read<ifaddrmsg>(payload);
        if (info.ifa_family != Libc.AF_INET) return null;
        in_addr? local = null, address = null, broadcast = null;
        foreach (var (type, value) in NetlinkMessage.Attributes(payload, Libc.NlmsgAlign(Marshal.SizeOf<ifaddrmsg>())))
        {
            if (value.Length != sizeof(uint)) continue;
            var a = MemoryMarshal.Read<in_addr>(value);
            if (type == Libc.IFA_LOCAL) local = a;
            else if (type == Libc.IFA_ADDRESS) address = a;
            else if (type == Libc.IFA_BROADCAST) broadcast = a;
        }
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS differs from it only on point-to-point links.
        return (local ?? address) is { } own ? new NetworkAddress((int)info.ifa_index, own, info.ifa_prefixlen, broadcast) : null;
    }

    public void Dispose() => Libc.Close(_fd);
}
