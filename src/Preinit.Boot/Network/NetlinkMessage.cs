// Netlink messages as bytes (netlink(7), rtnetlink(7)): a request laid out as the kernel reads it,
// and the attributes of an answer walked as NLMSG_ALIGN and RTA_ALIGN say.
using System.Runtime.InteropServices;
using Preinit.Interop;

namespace Preinit.Boot.Network;

public static class NetlinkMessage
{
    /// <summary>One netlink request: nlmsghdr, the family header (ifinfomsg, ifaddrmsg), then one rtattr
    /// with a 4-byte value per attribute (IFA_LOCAL and friends), each aligned as NLMSG_ALIGN and RTA_ALIGN say.</summary>
    public static byte[] Request<T>(ushort type, ushort flags, uint sequence, in T header,
        params ReadOnlySpan<(ushort Type, in_addr Value)> attributes)
        where T : unmanaged
    {
        var headerLength = Libc.NlmsgAlign(Marshal.SizeOf<nlmsghdr>());
        var bodyLength = Libc.NlmsgAlign(Marshal.SizeOf<T>());
        var attributeLength = Libc.NlmsgAlign(Marshal.SizeOf<rtattr>() + sizeof(uint));
        var message = new byte[headerLength + bodyLength + attributes.Length * attributeLength];
        var span = message.AsSpan();
        var nl = new nlmsghdr { nlmsg_len = (uint)message.Length, nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence };
        MemoryMarshal.Write(span, in nl);
        var body = header;
        MemoryMarshal.Write(span[headerLength..], in body);
        var offset = headerLength + bodyLength;
        foreach (var (attributeType, value) in attributes)
        {
            var rta = new rtattr { rta_len = (ushort)(Marshal.SizeOf<rtattr>() + sizeof(uint)), rta_type = attributeType };
            MemoryMarshal.Write(span[offset..], in rta);
            var v = value;
            MemoryMarshal.Write(span[(offset + Marshal.SizeOf<rtattr>())..], in v);
            offset += attributeLength;
        }
        return message;
    }

    /// <summary>The attributes that follow a family header: (type, value) pairs; a damaged length ends the walk.</summary>
    public static IEnumerable<(ushort Type, byte[] Value)> Attributes(byte[] payload, int offset)
    {
        var header = Marshal.SizeOf<rtattr>();
        while (offset + header <= payload.Length)
        {
            var rta = MemoryMarshal.Read<rtattr>(payload.AsSpan(offset));
            if (rta.rta_len < header || offset + rta.rta_len > payload.Length) yield break;
            yield return (rta.rta_type, payload[(offset + header)..(offset + rta.rta_len)]);
            offset += (rta.rta_len + Libc.RTA_ALIGNTO - 1) & ~(Libc.RTA_ALIGNTO - 1);
        }
    }
}
