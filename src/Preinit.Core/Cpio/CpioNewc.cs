// The newc cpio format (SVR4 portable ASCII without checksum, magic "070701"), the one the kernel
// unpacks into its rootfs (Documentation/driver-api/early-userspace/buffer-format.rst; GNU cpio -H
// newc): per entry a 110-byte header of thirteen 8-digit hexadecimal fields after the magic, the
// name with its NUL, zeros up to a multiple of 4 bytes, the data, zeros up to a multiple of 4; an
// entry named TRAILER!!! ends the archive. One field table for the writer and the reader.
using System.Globalization;

namespace Preinit.Core.Cpio;

public static class CpioNewc
{
    public static ReadOnlySpan<byte> Magic => "070701"u8;
    public const int HeaderSize = 110;
    public const int FieldLength = 8;

    // Field offsets in the header (buffer-format.rst, in this order after the 6-byte magic).
    public const int Ino = 6, Mode = 14, Uid = 22, Gid = 30, Nlink = 38, Mtime = 46, FileSize = 54,
        DevMajor = 62, DevMinor = 70, RdevMajor = 78, RdevMinor = 86, NameSize = 94, Check = 102;

    public const string TrailerName = "TRAILER!!!";

    /// <summary>PATH_MAX: the kernel's unpacker silently skips an entry whose name, NUL included, is longer, and a
    /// symlink whose target is (init/initramfs.c do_header).</summary>
    public const int PathMax = 4096;

    /// <summary>The size field's 8 hex digits: a file of 4 GiB or more does not fit.</summary>
    public const long MaxFileSize = uint.MaxValue;

    /// <summary>Zeros after <paramref name="length"/> bytes to reach the next multiple of 4.</summary>
    public static int Padding(long length) => (int)(-length & 3);

    /// <summary>Unix seconds as the 32-bit unsigned mtime field holds them (1970 to 2106): earlier times become 0,
    /// later ones the last second it holds.</summary>
    public static uint Seconds(long unixSeconds) => (uint)Math.Clamp(unixSeconds, 0, uint.MaxValue);
}

/// <summary>One entry's header as numbers; <see cref="Write"/> and <see cref="TryRead"/> go through the field table.</summary>
public struct CpioHeader
{
    public uint Ino, Mode, Uid, Gid, Nlink, Mtime, FileSize, DevMajor, DevMinor, RdevMajor, RdevMinor, NameSize, Check;

    /// <summary>Writes the 110 bytes: the magic and the fields in upper-case hex, as GNU cpio and the kernel's gen_init_cpio do.</summary>
    public readonly void Write(Span<byte> header)
    {
        CpioNewc.Magic.CopyTo(header);
        Field(header, CpioNewc.Ino, Ino);
        Field(header, CpioNewc.Mode, Mode);
        Field(header, CpioNewc.Uid, Uid);
        Field(header, CpioNewc.Gid, Gid);
        Field(header, CpioNewc.Nlink, Nlink);
        Field(header, CpioNewc.Mtime, Mtime);
        Field(header, CpioNewc.FileSize, FileSize);
        Field(header, CpioNewc.DevMajor, DevMajor);
        Field(header, CpioNewc.DevMinor, DevMinor);
        Field(header, CpioNewc.RdevMajor, RdevMajor);
        Field(header, CpioNewc.RdevMinor, RdevMinor);
        Field(header, CpioNewc.NameSize, NameSize);
        Field(header, CpioNewc.Check, Check);
    }

    /// <returns>False when <paramref name="header"/> is not a newc header: too short, another magic, a field not hex.</returns>
    public static bool TryRead(ReadOnlySpan<byte> header, out CpioHeader value)
    {
        value = default;
        if (header.Length < CpioNewc.HeaderSize || !header.StartsWith(CpioNewc.Magic)) return false;
        return Field(header, CpioNewc.Ino, out value.Ino) && Field(header, CpioNewc.Mode, out value.Mode)
            && Field(header, CpioNewc.Uid, out value.Uid) && Field(header, CpioNewc.Gid, out value.Gid)
            && Field(header, CpioNewc.Nlink, out value.Nlink) && Field(header, CpioNewc.Mtime, out value.Mtime)
            && Field(header, CpioNewc.FileSize, out value.FileSize) && Field(header, CpioNewc.DevMajor, out value.DevMajor)
            && Field(header, CpioNewc.DevMinor, out value.DevMinor) && Field(header, CpioNewc.RdevMajor, out value.RdevMajor)
            && Field(header, CpioNewc.RdevMinor, out value.RdevMinor) && Field(header, CpioNewc.NameSize, out value.NameSize)
            && Field(header, CpioNewc.Check, out value.Check);
    }

    private static void Field(Span<byte> header, int offset, uint value) =>
        value.TryFormat(header.Slice(offset, CpioNewc.FieldLength), out _, "X8", CultureInfo.InvariantCulture);

    private static bool Field(ReadOnlySpan<byte> header, int offset, out uint value) =>
        uint.TryParse(header.Slice(offset, CpioNewc.FieldLength), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
