// IPv4 datagrams (ip(7), udp(7), socket(7)): one UDP datagram sent out of one named interface, as
// the preinit network messages are. Constants from sys/socket.h and netinet/in.h.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int AF_INET = 2, IPPROTO_UDP = 17, SO_BROADCAST = 6, SO_BINDTODEVICE = 25;

    [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
    private static unsafe partial int SetsockoptBytesRaw(int fd, int level, int name, byte* value, int length);

    [LibraryImport(Name, EntryPoint = "sendto", SetLastError = true)]
    private static unsafe partial nint SendtoRaw(int fd, byte* buffer, nuint length, int flags, in sockaddr_in address, int addressLength);

    /// <summary>Sends <paramref name="payload"/> as one UDP datagram to <paramref name="destination"/>:<paramref name="port"/>,
    /// out of <paramref name="device"/> only (SO_BINDTODEVICE) and allowed to be a broadcast (SO_BROADCAST).</summary>
    public static unsafe void SendUdp(string device, in_addr destination, ushort port, ReadOnlySpan<byte> payload)
    {
        var target = $"{destination}:{port} dev {device}";
        var fd = Check(SocketRaw(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP), () => "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)");
        try
        {
            Check(SetsockoptRaw(fd, SOL_SOCKET, SO_BROADCAST, 1, sizeof(int)), () => $"setsockopt(SO_BROADCAST) for {target}");
            // The kernel takes the name without its terminating NUL, and rejects one of IFNAMSIZ bytes or more.
            var name = Encoding.UTF8.GetBytes(device);
            fixed (byte* n = name)
            {
                var p = n;
                Check(SetsockoptBytesRaw(fd, SOL_SOCKET, SO_BINDTODEVICE, p, name.Length),
                    () => $"setsockopt(SO_BINDTODEVICE, {Quote(device)})");
            }
            var address = new sockaddr_in { sin_family = AF_INET, sin_port = BinaryPrimitives.ReverseEndianness(port),
                sin_addr = destination };
            fixed (byte* b = payload)
            {
                var ptr = b;
                var length = payload.Length;
                var sent = Check(Retry(() => (long)SendtoRaw(fd, ptr, (nuint)length, 0, address, Marshal.SizeOf<sockaddr_in>())),
                    () => $"sendto({target}, {length} bytes)");
                if (sent != length)
                    throw new IOException($"sendto({target}): sent {sent} of {length} bytes");
            }
        }
        finally { Close(fd); }
    }
}

/// <summary>struct in_addr (netinet/in.h): an IPv4 address, <see cref="s_addr"/> in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct in_addr : IEquatable<in_addr>
{
    public uint s_addr;

    /// <summary>From the address as a number, 192.168.1.1 being 0xC0A80101.</summary>
    public static in_addr FromHostOrder(uint address) => new() { s_addr = BinaryPrimitives.ReverseEndianness(address) };

    public readonly uint HostOrder => BinaryPrimitives.ReverseEndianness(s_addr);

    public readonly bool Equals(in_addr other) => s_addr == other.s_addr;
    public override readonly bool Equals(object? obj) => obj is in_addr other && Equals(other);
    public override readonly int GetHashCode() => (int)s_addr;

    public override readonly string ToString()
    {
        var a = HostOrder;
        return $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}";
    }
}

/// <summary>struct sockaddr_in (netinet/in.h), 16 bytes; the port in network byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct sockaddr_in
{
    public ushort sin_family, sin_port;
    public in_addr sin_addr;
    public fixed byte sin_zero[8];
}
