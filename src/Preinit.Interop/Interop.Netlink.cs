// Kernel uevents over netlink (socket(7), netlink(7): NETLINK_KOBJECT_UEVENT); poll(2) is in Interop.Terminal.cs.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int AF_NETLINK = 16, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, NETLINK_KOBJECT_UEVENT = 15;
    public const int SOL_SOCKET = 1, SO_RCVBUFFORCE = 33;
    public const short POLLIN = 1;
    /// <summary>The kernel's uevent multicast group (udev listens to its own group 2 instead).</summary>
    public const uint UeventKernelGroup = 1;

    [LibraryImport(Name, EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketRaw(int domain, int type, int protocol);

    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    private static partial int BindRaw(int fd, in sockaddr_nl address, int length);

    [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetsockoptRaw(int fd, int level, int name, in int value, int length);

    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint RecvRaw(int fd, byte* buffer, nuint length, int flags);

    /// <summary>A socket that receives every kernel uevent; the caller closes it.</summary>
    public static int OpenUeventSocket()
    {
        var fd = Check(SocketRaw(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT),
            () => "socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT)");
        var size = 1 << 20; // a burst of coldplug events must not overflow the queue
        SetsockoptRaw(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, sizeof(int));
        var address = new sockaddr_nl { nl_family = AF_NETLINK, nl_groups = UeventKernelGroup };
        try { Check(BindRaw(fd, address, Marshal.SizeOf<sockaddr_nl>()), () => "bind(NETLINK_KOBJECT_UEVENT, groups=1)"); }
        catch { Close(fd); throw; }
        return fd;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for input on fd; true when there is some.</summary>
    public static bool PollIn(int fd, int timeoutMs) => PollReadable([fd], timeoutMs)[0];

    public static unsafe int Recv(int fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            var ptr = b;
            var length = (nuint)buffer.Length;
            return (int)Check(Retry(() => (long)RecvRaw(fd, ptr, length, 0)), () => $"recv({fd})");
        }
    }
}

/// <summary>struct sockaddr_nl (linux/netlink.h), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct sockaddr_nl
{
    public ushort nl_family, nl_pad;
    public uint nl_pid, nl_groups;
}

/// <summary>struct pollfd (poll.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct pollfd
{
    public int fd;
    public short events, revents;
}
