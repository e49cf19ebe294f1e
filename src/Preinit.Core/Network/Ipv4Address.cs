// IPv4 addresses and netmasks as the preinit settings write them: a dotted quad (192.168.1.1), and a
// netmask as a dotted mask (255.255.255.0) or a prefix length (24), the two forms `ip address add
// ADDRESS/MASK` accepts, as OpenWrt's preinit_ip passes pi_netmask to it.
using System.Globalization;

namespace Preinit.Core.Network;

/// <summary>An IPv4 address; <see cref="Value"/> is the address as a number (192.168.1.1 is 0xC0A80101).</summary>
public readonly record struct Ipv4Address(uint Value)
{
    /// <summary>Four decimal numbers from 0 to 255 separated by dots, nothing else. Leading zeros are
    /// refused: inet_aton(3), which OpenWrt's netmsg uses, reads 010 as octal 8, ip(8) reads it as 10.</summary>
    public static bool TryParse(string text, out Ipv4Address address, out string why)
    {
        address = default;
        var parts = text.Trim().Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length == 0))
        {
            why = "not four numbers separated by dots";
            return false;
        }
        uint value = 0;
        foreach (var part in parts)
        {
            if (part.Length > 3 || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                why = $"'{part}' is not a number from 0 to 255";
                return false;
            }
            if (n > 255)
            {
                why = $"{part} is more than 255";
                return false;
            }
            if (part.Length > 1 && part[0] == '0')
            {
                why = $"{part} has a leading zero, which some tools read as octal: write {n}";
                return false;
            }
            value = value << 8 | n;
        }
        address = new Ipv4Address(value);
        why = "";
        return true;
    }

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}";
}

public static class Netmask
{
    /// <summary>The mask of a prefix length: 24 is 255.255.255.0.</summary>
    public static Ipv4Address FromPrefixLength(int prefixLength) =>
        new(prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength));

    /// <summary>A prefix length (0 to 32) or a dotted mask whose one bits come first and are contiguous.</summary>
    public static bool TryParsePrefixLength(string text, out int prefixLength, out string why)
    {
        prefixLength = 0;
        var s = text.Trim();
        if (!s.Contains('.'))
        {
            if (s.Length is > 0 and <= 2 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
                && prefixLength <= 32)
            {
                why = "";
                return true;
            }
            why = "neither a dotted netmask nor a prefix length from 0 to 32";
            return false;
        }
        if (!Ipv4Address.TryParse(s, out var mask, out why)) return false;
        var ones = System.Numerics.BitOperations.LeadingZeroCount(~mask.Value);
        if (FromPrefixLength(ones) != mask)
        {
            why = "its one bits are not contiguous (a netmask is ones, then zeros: 255.255.255.0, or the prefix length 24)";
            return false;
        }
        prefixLength = ones;
        return true;
    }
}
