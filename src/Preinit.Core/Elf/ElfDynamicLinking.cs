// What an ELF64 executable or library needs from the dynamic linker: its interpreter (PT_INTERP),
// the libraries it names (DT_NEEDED) and where it says to look for them (DT_RUNPATH, DT_RPATH).
// Offsets from the System V ABI, "ELF Header", "Program Header" and "Dynamic Section", and
// <elf.h>. Pure: reads a span; every offset and count read from the file is checked against it.
using System.Buffers.Binary;
using System.Text;

namespace Preinit.Core.Elf;

/// <param name="Machine">e_machine: 62 (EM_X86_64) for the binaries preinit is built as.</param>
/// <param name="Interpreter">The path in PT_INTERP, null for a static binary or a library without one.</param>
/// <param name="Needed">DT_NEEDED names in file order, as written (usually a soname such as libc.so.6).</param>
/// <param name="RunPath">DT_RUNPATH (or, without it, DT_RPATH) split at ':', as written ($ORIGIN unexpanded).</param>
public sealed record ElfDynamicLinking(ushort Machine, string? Interpreter, IReadOnlyList<string> Needed, IReadOnlyList<string> RunPath)
{
    public const ushort EM_X86_64 = 62;

    private const uint PT_DYNAMIC = 2, PT_INTERP = 3, PT_LOAD = 1;
    private const long DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10, DT_RPATH = 15, DT_RUNPATH = 29;
    private const byte ELFCLASS64 = 2, ELFDATA2LSB = 1;
    private const int HeaderSize = 64, ProgramHeaderSize = 56, DynamicEntrySize = 16;

    private static class Header
    {
        public const int Class = 4, Data = 5, Machine = 18, ProgramHeaderOffset = 32, ProgramHeaderEntrySize = 54, ProgramHeaderCount = 56;
    }

    private static class ProgramHeader
    {
        public const int Type = 0, Offset = 8, VirtualAddress = 16, FileSize = 32;
    }

    /// <summary>Reads a whole ELF file; false when it is not a little-endian ELF64 file at all.</summary>
    /// <exception cref="InvalidDataException">It is one, but a header or table points outside the file.</exception>
    public static bool TryRead(ReadOnlySpan<byte> file, out ElfDynamicLinking result)
    {
        result = new ElfDynamicLinking(0, null, [], []);
        if (file.Length < HeaderSize || !file[..4].SequenceEqual("\u007FELF"u8) ||
            file[Header.Class] != ELFCLASS64 || file[Header.Data] != ELFDATA2LSB)
            return false;
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(file[Header.Machine..]);
        var segments = Segments(file);

        string? interpreter = null;
        var dynamic = ReadOnlySpan<byte>.Empty;
        foreach (var segment in segments)
        {
            if (segment.Type == PT_INTERP) interpreter = CString(Slice(file, segment.Offset, segment.Size, "PT_INTERP"), 0);
            else if (segment.Type == PT_DYNAMIC) dynamic = Slice(file, segment.Offset, segment.Size, "PT_DYNAMIC");
        }

        var needed = new List<long>();
        long strtab = -1, strsz = -1, runpath = -1, rpath = -1;
        for (var i = 0; i + DynamicEntrySize <= dynamic.Length; i += DynamicEntrySize)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(dynamic[i..]);
            var value = (long)BinaryPrimitives.ReadUInt64LittleEndian(dynamic[(i + 8)..]);
            if (tag == DT_NULL) break;
            switch (tag)
            {
                case DT_NEEDED: needed.Add(value); break;
                case DT_STRTAB: strtab = value; break;
                case DT_STRSZ: strsz = value; break;
                case DT_RUNPATH: runpath = value; break;
                case DT_RPATH: rpath = value; break;
            }
        }

        var strings = ReadOnlySpan<byte>.Empty;
        if (needed.Count > 0 || runpath >= 0 || rpath >= 0)
        {
            if (strtab < 0 || strsz < 0)
                throw new InvalidDataException("the dynamic section names libraries but has no DT_STRTAB or DT_STRSZ");
            strings = Slice(file, FileOffset(segments, (ulong)strtab), (ulong)strsz, "DT_STRTAB");
        }
        var names = new List<string>(needed.Count);
        foreach (var n in needed) names.Add(CString(strings, n));
        var path = runpath >= 0 ? runpath : rpath;
        result = new ElfDynamicLinking(machine, interpreter, names,
            path < 0 ? [] : CString(strings, path).Split(':', StringSplitOptions.RemoveEmptyEntries));
        return true;
    }

    private sealed record Segment(uint Type, ulong Offset, ulong Address, ulong Size);

    /// <summary>Where the address <paramref name="address"/> is in the file: the PT_LOAD segment holding it says.</summary>
    private static ulong FileOffset(List<Segment> segments, ulong address)
    {
        foreach (var s in segments)
            if (s.Type == PT_LOAD && address >= s.Address && address - s.Address < s.Size) return s.Offset + (address - s.Address);
        throw new InvalidDataException($"the address 0x{address:x} lies in no PT_LOAD segment");
    }

    private static List<Segment> Segments(ReadOnlySpan<byte> file)
    {
        var offset = BinaryPrimitives.ReadUInt64LittleEndian(file[Header.ProgramHeaderOffset..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file[Header.ProgramHeaderEntrySize..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file[Header.ProgramHeaderCount..]);
        if (count > 0 && entrySize < ProgramHeaderSize)
            throw new InvalidDataException($"e_phentsize {entrySize} is below {ProgramHeaderSize}");
        var table = Slice(file, offset, (ulong)entrySize * count, "the program header table");
        var result = new List<Segment>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = table[(i * entrySize)..];
            result.Add(new Segment(BinaryPrimitives.ReadUInt32LittleEndian(entry[ProgramHeader.Type..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[ProgramHeader.Offset..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[ProgramHeader.VirtualAddress..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[ProgramHeader.FileSize..])));
        }
        return result;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> file, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)file.Length || size > (ulong)file.Length - offset)
            throw new InvalidDataException($"{what} (offset {offset}, {size} bytes) lies outside the {file.Length}-byte file");
        return file.Slice((int)offset, (int)size);
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/>; it must end inside <paramref name="table"/>.</summary>
    private static string CString(ReadOnlySpan<byte> table, long offset)
    {
        if (offset < 0 || offset >= table.Length)
            throw new InvalidDataException($"string offset {offset} lies outside the {table.Length}-byte string table");
        var rest = table[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw new InvalidDataException($"the string at offset {offset} has no terminating NUL");
        return Encoding.UTF8.GetString(rest[..end]);
    }
}
