// The preinit network messages, as OpenWrt sends them. Checked against OpenWrt's sources
// (openwrt/openwrt):
// - package/utils/busybox/patches/210-add_netmsg_util.patch adds the `netmsg` applet (networking/netmsg.c):
//   `netmsg <ip> "<message>"` sends one UDP datagram to <ip>, port 0x1337 (4919), with SO_BROADCAST
//   set. The datagram is always 1001 bytes: a zeroed buffer, 0xDE 0xAD in bytes 0 and 1, then the
//   message copied from byte 2 with strncpy for at most 998 bytes, so byte 1000 is always zero and the
//   text ends at its first NUL. The whole buffer is sent, whatever the text's length.
// - package/base-files/files/lib/preinit/10_indicate_preinit: preinit_net_echo runs
//   `netmsg $pi_broadcast "$1"` when pi_ifname names an interface in /proc/net/dev and either
//   pi_preinit_net_messages is "y", or pi_failsafe_net_message is "true" and
//   pi_preinit_no_failsafe_netmsg is not "y" (30_failsafe_wait sets pi_failsafe_net_message=true for
//   its "Please press button now to enter failsafe" message). Texts are passed as the scripts write
//   them: "Doing OpenWrt Preinit\n" in sh double quotes is a backslash and an n, not a newline.
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Preinit.Core.Network;

public static class NetMessage
{
    /// <summary>UDP port 0x1337.</summary>
    public const int Port = 4919;
    public const int DatagramLength = 1001;
    public const int TextOffset = 2;
    /// <summary>strncpy(buf + 2, text, 998): the last byte stays zero.</summary>
    public const int MaxTextBytes = 998;

    public static ReadOnlySpan<byte> Magic => [0xDE, 0xAD];

    /// <summary>The datagram netmsg sends for <paramref name="text"/> (UTF-8): 1001 bytes, 0xDE 0xAD, the text up
    /// to its first NUL and at most 998 bytes (cut as strncpy cuts, byte-wise), zeros after it.</summary>
    public static byte[] Datagram(string text)
    {
        var datagram = new byte[DatagramLength];
        Magic.CopyTo(datagram);
        var bytes = Encoding.UTF8.GetBytes(text).AsSpan();
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0) bytes = bytes[..nul];
        bytes[..Math.Min(bytes.Length, MaxTextBytes)].CopyTo(datagram.AsSpan(TextOffset));
        return datagram;
    }

    /// <summary>The text of a preinit message: false when the datagram does not start with 0xDE 0xAD.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (!datagram.StartsWith(Magic)) return false;
        var body = datagram[TextOffset..];
        var nul = body.IndexOf((byte)0);
        text = Encoding.UTF8.GetString(nul >= 0 ? body[..nul] : body);
        return true;
    }

    /// <summary>preinit_net_echo's condition: pi_preinit_net_messages, or a failsafe prompt
    /// (pi_failsafe_net_message) unless pi_preinit_no_failsafe_netmsg turns those off.</summary>
    public static bool Enabled(bool preinitNetMessages, bool failsafeMessage, bool noFailsafeNetmsg) =>
        preinitNetMessages || (failsafeMessage && !noFailsafeNetmsg);
}
