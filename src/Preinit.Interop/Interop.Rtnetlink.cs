// Routing netlink (rtnetlink(7), netlink(7)): the socket, send(2), if_nametoindex(3), and the
// constants and structures of linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h
// and net/if.h. The protocol itself (requests, answers) is Preinit.Boot.Network.RouteNetlink.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int NETLINK_ROUTE = 0, IFNAMSIZ = 16, NLMSG_ALIGNTO = 4, RTA_ALIGNTO = 4;
    public const ushort NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public const ushort NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300,
        NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    public const ushort RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    public const ushort IFLA_IFNAME = 3, IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_BROADCAST = 4;
    public const uint IFF_UP = 0x1;
    public const byte RT_SCOPE_UNIVERSE = 0;

    [LibraryImport(Name, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint IfNametoindexRaw(string name);

    [LibraryImport(Name, EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SendRaw(int fd, byte* buffer, nuint length, int flags);

    /// <summary>The interface's index, or 0 when this network namespace has no interface of that name.</summary>
    public static int IfNametoindex(string name)
    {
        var index = IfNametoindexRaw(name);
        if (index != 0) return (int)index;
        var errno = Marshal.GetLastPInvokeError();
        // glibc answers ENODEV for an unknown name and for one of IFNAMSIZ bytes or more.
        if (errno == Errno.ENODEV) return 0;
        throw new SystemCallException($"if_nametoindex({Quote(name)})", errno);
    }

    public static int OpenRouteSocket() =>
        Check(SocketRaw(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE), () => "socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE)");

    public static unsafe void Send(int fd, ReadOnlySpan<byte> message, Func<string> call)
    {
        fixed (byte* b = message)
        {
            var ptr = b;
            var length = (nuint)message.Length;
            Check(Retry(() => (long)SendRaw(fd, ptr, length, 0)), call);
        }
    }

    public static int NlmsgAlign(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}

/// <summary>struct nlmsghdr (linux/netlink.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsghdr
{
    public uint nlmsg_len;
    public ushort nlmsg_type, nlmsg_flags;
    public uint nlmsg_seq, nlmsg_pid;
}

/// <summary>struct nlmsgerr (linux/netlink.h): the errno (negative) and the request it answers.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsgerr
{
    public int error;
    public nlmsghdr msg;
}

/// <summary>struct rtattr (linux/rtnetlink.h), 4 bytes, followed by its value.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct rtattr
{
    public ushort rta_len, rta_type;
}

/// <summary>struct ifinfomsg (linux/rtnetlink.h), 16 bytes: a link, with the flags to change.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ifinfomsg
{
    public byte ifi_family, __ifi_pad;
    public ushort ifi_type;
    public int ifi_index;
    public uint ifi_flags, ifi_change;
}

/// <summary>struct ifaddrmsg (linux/if_addr.h), 8 bytes: an address of a link.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ifaddrmsg
{
    public byte ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
    public uint ifa_index;
}
