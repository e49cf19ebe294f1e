// Bounded reads for the probers: a read either lies wholly inside the source or is not made, the way
// libblkid's blkid_probe_get_buffer() refuses an area past the end of the device (probe.c), and no
// read is larger than MaxBytes, whatever length a corrupt superblock claims.
namespace Preinit.Core.Probing;

internal static class BlockRead
{
    /// <summary>Largest single read: above every structure probed (a FAT32 cluster is at most 512 KiB,
    /// a GPT entry array of 8192 entries 1 MiB), far below what would hurt at boot.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>True when [offset, offset + count) lies inside the source (overflow-safe).</summary>
    public static bool Fits(IBlockSource source, long offset, long count) =>
        offset >= 0 && count >= 0 && offset <= source.Length && count <= source.Length - offset;

    /// <summary>Fills buffer from offset; false (and no read at all) when the area is not wholly inside the source.</summary>
    public static bool TryFill(IBlockSource source, long offset, Span<byte> buffer)
    {
        if (buffer.Length > MaxBytes || !Fits(source, offset, buffer.Length)) return false;
        var done = 0;
        while (done < buffer.Length)
        {
            var n = source.Read(offset + done, buffer[done..]);
            if (n <= 0) return false;
            done += n;
        }
        return true;
    }

    /// <summary>count bytes at offset, or null when they are not all inside the source or count is out of range.</summary>
    public static byte[]? Bytes(IBlockSource source, long offset, long count)
    {
        if (count <= 0 || count > MaxBytes || !Fits(source, offset, count)) return null;
        var buffer = new byte[count];
        return TryFill(source, offset, buffer) ? buffer : null;
    }

    /// <summary>libblkid's magic test (blkid_probe_get_idmag): the KiB holding the magic must be inside the
    /// source, and the magic sits at magicOffset inside the superblock that starts at kiBOffset KiB.</summary>
    public static bool HasMagic(IBlockSource source, long kiBOffset, int magicOffset, ReadOnlySpan<byte> magic)
    {
        Span<byte> kib = stackalloc byte[1024];
        if ((magicOffset & 0x3FF) + magic.Length > kib.Length) return false;
        var at = (kiBOffset + (magicOffset >> 10)) << 10;
        if (!TryFill(source, at, kib)) return false;
        return kib.Slice(magicOffset & 0x3FF, magic.Length).SequenceEqual(magic);
    }
}
