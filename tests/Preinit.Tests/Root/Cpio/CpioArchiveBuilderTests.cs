// A real directory packed by the cpio archive builder and unpacked by GNU cpio: the unpacked tree
// equals the source in every property TreeSnapshot compares but directory times (device nodes and
// foreign owners need root). Trees are made with real syscalls in the test's own tmpfs.
using System.Text.RegularExpressions;
using Preinit.Boot.Cpio;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Cpio;
using Xunit;

namespace Preinit.Tests.Root.Cpio;

public class CpioArchiveBuilderTests
{
    [RootFact]
    public void Write_TreeWithEveryFileType_UnpacksEqualToTheSource()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        OddTree.Create(source);
        var archive = Path.Combine(scratch.Path, "odd.cpio.gz");

        var result = CpioArchiveBuilder.Write(source, archive);

        var plain = Path.Combine(scratch.Path, "odd.cpio");
        Tools.Run("sh", "-c", $"gzip -dc '{archive}' > '{plain}'");
        Assert.Equal(result.ArchiveBytes, new FileInfo(plain).Length);
        var unpacked = scratch.Sub("unpacked");
        CpioArchive.Extract(plain, unpacked);
        Assert.Equal(WithoutDirectoryTimes(TreeSnapshot.Of(source)), WithoutDirectoryTimes(TreeSnapshot.Of(unpacked)));
        // GNU cpio sets a directory's time when it makes it, and then fills it (the kernel sets them at the end):
        // the archive's headers are what must carry them.
        var bin = CpioArchive.Read(File.ReadAllBytes(plain)).Single(e => e.Name == "bin");
        Assert.Equal(Libc.Lstat(Path.Combine(source, "bin")).stx_mtime.tv_sec, bin.Header.Mtime);
    }

    private static Dictionary<string, string> WithoutDirectoryTimes(IDictionary<string, string> snapshot) =>
        snapshot.ToDictionary(p => p.Key, p => p.Value.StartsWith("type=4000 ") ? Regex.Replace(p.Value, @" mtime=\d+", "") : p.Value);

    [RootFact]
    public void Write_ArchiveInsideTheTree_LeavesItselfOut()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        File.WriteAllText(Path.Combine(source, "init"), "#!/bin/sh\n");
        var archive = Path.Combine(source, "initramfs.cpio");

        CpioArchiveBuilder.Write(source, archive);

        Assert.Equal([".", "init"], CpioArchive.List(archive));
        Assert.False(File.Exists(archive + ".tmp"));
    }
}
