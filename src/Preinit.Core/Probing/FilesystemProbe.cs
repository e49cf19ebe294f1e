// What is on a device: the probers in one ordered table, run the way `blkid -p` runs libblkid's
// superblock chain (superblocks.c superblocks_safeprobe), so TYPE/LABEL/UUID agree with blkid.
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

public static class FilesystemProbe
{
    private delegate bool Prober(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result);

    /// <summary>One row of the table. Tolerant types (iso9660) may share a device with another signature
    /// (a hybrid ISO); any other second match makes the device ambivalent.</summary>
    private sealed record Entry(string Name, Prober Probe, bool Tolerant = false);

    // libblkid's order (superblocks.c idinfos[]), most specific first. The order matters because:
    //  - LUKS comes first and ends the search: an encrypted device is "crypto_LUKS" whatever bytes the
    //    ciphertext happens to hold;
    //  - vfat, swap and xfs come before ext: their magics sit in the first sectors, which mkfs.ext4 and
    //    mkswap leave untouched or wipe, and blkid reports the first match on floppy-sized devices;
    //  - the ext types come most specific first (ext4dev, ext4, ext3, ext2, then jbd) and exclude each other
    //    by feature flags, so one ext superblock is one type;
    //  - udf and iso9660 are tolerant and before ntfs/squashfs/btrfs/exfat/f2fs/erofs, as in blkid; udf comes
    //    first, so a UDF bridge disc (ISO 9660 and UDF on one volume) is udf, as blkid reports it.
    private static readonly Entry[] Table =
    [
        new("crypto_LUKS", LuksProbe.TryProbe),
        new("vfat", VfatProbe.TryProbe),
        new("swap", SwapProbe.TryProbe),
        new("xfs", XfsProbe.TryProbe),
        new("ext4dev", ExtProbe.TryProbeExt4Dev),
        new("ext4", ExtProbe.TryProbeExt4),
        new("ext3", ExtProbe.TryProbeExt3),
        new("ext2", ExtProbe.TryProbeExt2),
        new("jbd", ExtProbe.TryProbeJbd),
        new("udf", UdfProbe.TryProbe, Tolerant: true),
        new("iso9660", Iso9660Probe.TryProbe, Tolerant: true),
        new("ntfs", NtfsProbe.TryProbe),
        new("squashfs", SquashfsProbe.TryProbe),
        new("btrfs", BtrfsProbe.TryProbe),
        new("exfat", ExfatProbe.TryProbe),
        new("f2fs", F2fsProbe.TryProbe),
        new("erofs", ErofsProbe.TryProbe),
    ];

    /// <summary>libblkid ignores devices this small (superblocks_probe: size &lt;= 1024).</summary>
    private const long MinDeviceSize = 1025;

    /// <summary>On a device up to floppy size (1440 KiB) blkid takes the first match without looking further.</summary>
    private const long TinyDevice = 1440 * 1024;

    /// <summary>How many bytes the iso9660 filesystem at the start of the source spans (a Live image written raw
    /// to a stick, its EFI partition inside it), or null when it starts with none.</summary>
    public static long? Iso9660Bytes(IBlockSource source) => Iso9660Probe.VolumeBytes(source);

    /// <summary>The filesystem (or swap, journal, LUKS header) on the source, or null: nothing known, or
    /// ambivalent (two filesystems claim the device; blkid -p then reports nothing either, and mounting
    /// by type guess would be a gamble).</summary>
    public static ProbeResult? Probe(IBlockSource source) => Probe(source, out _);

    /// <summary>As Probe; ambivalent says the null result means two filesystems claim the device (blkid -p then
    /// reports nothing at all, not even a partition table).</summary>
    public static ProbeResult? Probe(IBlockSource source, out bool ambivalent)
    {
        ambivalent = false;
        if (source.Length >= MinDeviceSize)
        {
            (var found, ambivalent) = ProbeTable(source);
            if (found is not null || ambivalent) return found;
        }
        // Not in libblkid: JFFS2 (OpenWrt's flash overlay), tried only when the table found nothing, so it never
        // changes what blkid would say.
        return Jffs2Probe.TryProbe(source, out var jffs2) ? jffs2 : null;
    }

    private static (ProbeResult? Found, bool Ambivalent) ProbeTable(IBlockSource source)
    {
        var tiny = source.Length <= TinyDevice;
        ProbeResult? first = null;
        var matches = 0;
        var intolerant = 0;
        foreach (var entry in Table)
        {
            if (!entry.Probe(source, out var found)) continue;
            if (tiny) return (found, false);
            matches++;
            // A crypto header ends the search (it is first in the table, so nothing matched before it).
            if (found.Usage == ProbeResult.Crypto) return matches == 1 ? (found, false) : (null, true);
            if (!entry.Tolerant) intolerant++;
            first ??= found;
        }
        return matches > 1 && intolerant > 0 ? (null, true) : (first, false);
    }
}
