// The ELF reader against readelf on real binaries, the library closure against ldd, and damaged
// or foreign files.
using System.Text.RegularExpressions;
using Preinit.Boot.Install;
using Preinit.Core.Elf;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Install;

public class ElfDynamicLinkingTests
{
    private static readonly string[] Executables = ["/bin/true", "/usr/bin/dotnet", Paths.PublishedBinary];
    private static readonly string[] Libraries = ["/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"];

    public static TheoryData<string> Binaries() => Present([.. Executables, .. Libraries]);

    public static TheoryData<string> ExecutablesPresent() => Present(Executables);

    private static TheoryData<string> Present(string[] paths)
    {
        var data = new TheoryData<string>();
        foreach (var path in paths.Where(File.Exists)) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public void TryRead_RealBinary_AgreesWithReadelf(string path)
    {
        Assert.True(ElfDynamicLinking.TryRead(File.ReadAllBytes(path), out var elf));

        var dynamic = Tools.Run("readelf", "-d", "-W", path);
        var program = Tools.Run("readelf", "-l", "-W", path);
        Assert.Equal(Regex.Matches(dynamic, @"\(NEEDED\)\s+Shared library: \[(.*)\]").Select(m => m.Groups[1].Value), elf.Needed);
        Assert.Equal(Regex.Match(dynamic, @"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]") is { Success: true } r
            ? r.Groups[1].Value.Split(':') : [], elf.RunPath);
        Assert.Equal(Regex.Match(program, @"\[Requesting program interpreter: (.*)\]") is { Success: true } i ? i.Groups[1].Value : null,
            elf.Interpreter);
        Assert.Equal(ElfDynamicLinking.EM_X86_64, elf.Machine);
    }

    [Theory]
    [MemberData(nameof(ExecutablesPresent))]
    public void LibraryResolver_RealExecutable_FindsWhatLddFinds(string path)
    {
        var ldd = Tools.Run("ldd", path);
        var expected = Regex.Matches(ldd, @"(?:=> )?(/\S+) \(0x").Select(m => m.Groups[1].Value).Order();

        Assert.Equal(expected, LibraryResolver.For(path).Order());
    }

    [Fact]
    public void TryRead_NotElf_IsFalse()
    {
        Assert.False(ElfDynamicLinking.TryRead("#!/bin/sh\necho this is a script, not a binary at all\n"u8.ToArray().Concat(new byte[64])
            .ToArray(), out _));
        Assert.False(ElfDynamicLinking.TryRead([], out _));
    }

    [Fact]
    public void TryRead_Elf32_IsFalse()
    {
        var header = File.ReadAllBytes("/bin/true")[..64];
        header[4] = 1; // ELFCLASS32
        Assert.False(ElfDynamicLinking.TryRead(header, out _));
    }

    [Fact]
    public void TryRead_Truncated_ThrowsNamingWhatLiesOutside()
    {
        var bytes = File.ReadAllBytes("/bin/true");
        var e = Assert.Throws<InvalidDataException>(() => ElfDynamicLinking.TryRead(bytes[..200], out _));
        Assert.Contains("lies outside the 200-byte file", e.Message);
    }

    [Fact]
    public void TryRead_ProgramHeadersPointingAway_Throws()
    {
        var bytes = File.ReadAllBytes("/bin/true");
        BitConverter.TryWriteBytes(bytes.AsSpan(32), ulong.MaxValue - 10); // e_phoff
        Assert.Throws<InvalidDataException>(() => ElfDynamicLinking.TryRead(bytes, out _));
    }
}
