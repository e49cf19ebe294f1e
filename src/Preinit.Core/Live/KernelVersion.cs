// The release of a bzImage kernel (uname -r), read from its own header, so the modules directory
// that goes with it (/lib/modules/RELEASE) is found without asking the user: the x86 boot protocol
// puts "HdrS" at 0x202 and, at 0x20E, the offset (minus 0x200) of a text starting with the release.
using System.Buffers.Binary;
using System.Text;

namespace Preinit.Core.Live;

public static class KernelVersion
{
    public const int HeaderBytes = 0x1000;

    /// <param name="start">The first <see cref="HeaderBytes"/> bytes of the file, or all of it if shorter; the text may lie
    /// beyond them, so <paramref name="readAt"/> reads more.</param>
    /// <returns>The release, or null when this is not a bzImage with a version text.</returns>
    public static string? Read(ReadOnlySpan<byte> start, Func<long, byte[]> readAt)
    {
        if (start.Length < 0x210 || !start.Slice(0x202, 4).SequenceEqual("HdrS"u8)) return null;
        var pointer = BinaryPrimitives.ReadUInt16LittleEndian(start[0x20E..]);
        if (pointer == 0) return null;
        var text = readAt(pointer + 0x200L);
        var end = Array.IndexOf(text, (byte)0);
        var version = Encoding.ASCII.GetString(text, 0, end < 0 ? text.Length : end);
        var release = version.Split(' ', 2)[0];
        return release.Length > 0 && release.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+') ? release : null;
    }
}
