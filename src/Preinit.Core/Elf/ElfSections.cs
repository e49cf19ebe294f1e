// One section of an ELF64 little-endian file, found by name: a kernel module's .modinfo, which
// names its dependencies and aliases when no modules.dep was made (OpenWrt ships modules without
// one; its kmodloader reads this section). Offsets from the System V ABI, "ELF Header" and
// "Sections", and <elf.h>. Pure: every offset and count read from the file is checked against it.
using System.Buffers.Binary;
using System.Text;

namespace Preinit.Core.Elf;

public static class ElfSections
{
    private const byte ELFCLASS64 = 2, ELFDATA2LSB = 1;
    private const int HeaderSize = 64, SectionHeaderSize = 64;
    private const int SectionHeaderOffset = 0x28, SectionHeaderEntrySize = 0x3A, SectionHeaderCount = 0x3C, SectionNamesIndex = 0x3E;
    private const int NameOffset = 0, Offset = 24, Size = 32;
    private const uint SHT_NOBITS = 8;

    /// <summary>The bytes of the section called <paramref name="name"/>; null when the file is no ELF64 little-endian
    /// file or has no such section.</summary>
    /// <exception cref="InvalidDataException">A header or table points outside the file.</exception>
    public static byte[]? Find(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < HeaderSize || !file[..4].SequenceEqual("\u007FELF"u8) || file[4] != ELFCLASS64 || file[5] != ELFDATA2LSB)
            return null;
        var tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(file[SectionHeaderOffset..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file[SectionHeaderEntrySize..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file[SectionHeaderCount..]);
        var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(file[SectionNamesIndex..]);
        if (count == 0) return null;
        if (entrySize < SectionHeaderSize) throw new InvalidDataException($"e_shentsize {entrySize} is below {SectionHeaderSize}");
        if (namesIndex >= count) throw new InvalidDataException($"e_shstrndx {namesIndex} is not below e_shnum {count}");
        var table = Slice(file, tableOffset, (ulong)entrySize * count, "the section header table");
        var names = Contents(file, table[(namesIndex * entrySize)..], "the section name table");

        var wanted = Encoding.ASCII.GetBytes(name + "\0");
        for (var i = 0; i < count; i++)
        {
            var header = table[(i * entrySize)..];
            var nameAt = BinaryPrimitives.ReadUInt32LittleEndian(header[NameOffset..]);
            if (nameAt >= (uint)names.Length || !names[(int)nameAt..].StartsWith(wanted)) continue;
            return Contents(file, header, name).ToArray();
        }
        return null;
    }

    private static ReadOnlySpan<byte> Contents(ReadOnlySpan<byte> file, ReadOnlySpan<byte> header, string what) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == SHT_NOBITS
            ? []
            : Slice(file, BinaryPrimitives.ReadUInt64LittleEndian(header[Offset..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[Size..]), what);

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> file, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)file.Length || size > (ulong)file.Length - offset)
            throw new InvalidDataException($"{what} (offset {offset}, {size} bytes) lies outside the {file.Length}-byte file");
        return file.Slice((int)offset, (int)size);
    }
}
