// `preinit stick` on image files, with the real mke2fs, e2fsck, debugfs and sfdisk as witnesses: the
// layout it writes, a rerun that keeps the saved changes, and every refusal leaving the file as it was.
using System.Security.Cryptography;
using Preinit.Cli.Verbs;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Stick;

public sealed class StickVerbTests : IDisposable
{
    private const long MiB = 1L << 20;
    private readonly string dir = Directory.CreateTempSubdirectory("preinit-stick.").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(string name) => Path.Combine(dir, name);

    private static (int Code, string Out, string Err) Stick(string? image, string target, string persistence = "rest",
        string answer = "", bool yes = true, bool force = false)
    {
        using StringWriter output = new(), error = new();
        var code = new StickVerb(new StringReader(answer)).Run(output, error, image, target, persistence, force, yes, verify: true);
        return (code, output.ToString(), error.ToString());
    }

    private static string Sfdisk(string image) => Tools.Run("sfdisk", "--dump", image);

    private static string At(string image, long offset) => $"{image}?offset={offset}";

    private static string Hash(string path)
    {
        using var f = System.IO.File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    [PublishedFact]
    public void NewFile_HoldsTheImageThenAnExt4RootfsDataPartition()
    {
        var stick = File("stick.img");

        var (code, output, error) = Stick(Paths.LiveIso, stick, "64M");

        Assert.True(code == 0, error);
        Assert.Contains("partition 3: rootfs_data, 64.0 MiB from 512.0 MiB, a new ext4 filesystem", output);
        Assert.Contains("verified", output);
        Assert.Equal(576 * MiB, new FileInfo(stick).Length);
        Assert.Matches(@"stick\.img3 : start= *1048576, size= *131072, type=83", Sfdisk(stick));
        var blkid = Tools.Run("blkid", "-p", "-O", $"{512 * MiB}", "-o", "export", stick);
        Assert.Contains("TYPE=ext4", blkid);
        Assert.Contains("LABEL=rootfs_data", blkid);
        Tools.Run("e2fsck", "-fn", At(stick, 512 * MiB));
        // Past the partition table, the stick holds the image byte for byte.
        var iso = System.IO.File.ReadAllBytes(Paths.LiveIso);
        using var written = System.IO.File.OpenRead(stick);
        var back = new byte[iso.Length];
        written.ReadExactly(back);
        Assert.True(iso.AsSpan(512).SequenceEqual(back.AsSpan(512)));
        Assert.True(iso.AsSpan(0, 446).SequenceEqual(back.AsSpan(0, 446)), "the boot code in front of the table changed");
    }

    [PublishedFact]
    public void Rerun_WritesTheImageAgain_AndKeepsThePartitionWithItsData()
    {
        var stick = File("stick.img");
        Assert.Equal(0, Stick(Paths.LiveIso, stick, "64M").Code);
        var saved = File("saved.txt");
        System.IO.File.WriteAllText(saved, "configuration\n");
        Tools.Run("debugfs", "-w", "-R", $"write {saved} saved.txt", At(stick, 512 * MiB));
        using (var f = new FileStream(stick, FileMode.Open)) { f.Position = 1 * MiB; f.Write(new byte[4096]); }   // damage the image

        var (code, output, error) = Stick(Paths.LiveIso, stick, "128M");

        Assert.True(code == 0, error);
        Assert.Contains("partition 3: rootfs_data, 64.0 MiB from 512.0 MiB, kept, with the changes saved on it", output);
        Assert.Contains("kept with the changes saved on it", output);
        Assert.Equal("configuration\n", Tools.Run("debugfs", "-R", "cat saved.txt", At(stick, 512 * MiB)));
        Assert.Matches(@"stick\.img3 : start= *1048576, size= *131072, type=83", Sfdisk(stick));
        Assert.Equal(0, Stick(null, stick).Code);   // nothing left to add
    }

    [PublishedFact]
    public void TooSmall_IsRefusedBeforeAByteIsWritten()
    {
        var stick = File("small.img");
        using (var f = System.IO.File.Create(stick)) f.SetLength(100 * MiB);
        var before = Hash(stick);

        var (code, _, error) = Stick(Paths.LiveIso, stick);

        Assert.Equal(1, code);
        Assert.Contains("Error: " + stick + " is too small: it has 100.0 MiB and needs 528.0 MiB", error);
        Assert.Equal(before, Hash(stick));
    }

    [PublishedFact]
    public void ImageThatDoesNotFitInFrontOfThePartition_IsRefused_AndTheStickIsUnchanged()
    {
        // A stick whose rootfs_data partition starts at 8 MiB, before the end of any Live image.
        var stick = File("early.img");
        using (var f = System.IO.File.Create(stick)) f.SetLength(64 * MiB);
        Tools.Run("sh", "-c", $"echo 'start=16384, size=65536, type=83' | sfdisk --quiet {stick}");
        Tools.Run("mke2fs", "-q", "-F", "-t", "ext4", "-L", "rootfs_data", "-E", $"offset={8 * MiB}", stick, "32768k");
        var before = Hash(stick);

        var (code, _, error) = Stick(Paths.LiveIso, stick);

        Assert.Equal(1, code);
        Assert.Contains("does not fit in front of the rootfs_data partition of " + stick + ", which starts at 8.0 MiB", error);
        Assert.Equal(before, Hash(stick));
    }

    [PublishedFact]
    public void WithoutYes_OnlyTheAnswerYesWrites()
    {
        var stick = File("asked.img");

        var (code, output, error) = Stick(Paths.LiveIso, stick, "64M", answer: "no\n", yes: false);
        Assert.Equal(1, code);
        Assert.Contains("Type yes to write " + stick, output);
        Assert.Contains("Nothing written.", error);
        Assert.False(System.IO.File.Exists(stick));

        Assert.Contains("no answer", Stick(Paths.LiveIso, stick, "64M", answer: "", yes: false).Err);
        Assert.Equal(0, Stick(Paths.LiveIso, stick, "64M", answer: "yes\n", yes: false).Code);
    }

    [PublishedFact]
    public void PartitionOnly_AddsRootfsDataToAStickWrittenByAnotherTool()
    {
        // As a raw image writer leaves it: the image, then unused space.
        var stick = File("raw.img");
        System.IO.File.Copy(Paths.LiveIso, stick);
        using (var f = new FileStream(stick, FileMode.Open)) f.SetLength(1024 * MiB);

        var (code, output, error) = Stick(null, stick);

        Assert.True(code == 0, error);
        Assert.Contains("partition 3: rootfs_data, 512.0 MiB from 512.0 MiB, a new ext4 filesystem", output);
        Assert.Contains("From the next boot on, changes are saved on it", output);
        Tools.Run("e2fsck", "-fn", At(stick, 512 * MiB));
        Assert.True(System.IO.File.ReadAllBytes(Paths.LiveIso).AsSpan(512).SequenceEqual(
            System.IO.File.ReadAllBytes(stick).AsSpan(512, (int)new FileInfo(Paths.LiveIso).Length - 512)));
    }

    [PublishedFact]
    public void BadInput_IsNamedWithTheFix()
    {
        Assert.Contains("--persistence lots: give a size (512M, 4G), rest, or 0", Stick(Paths.LiveIso, File("x.img"), "lots").Err);
        Assert.Contains("does not exist yet, and a new image file has no rest to fill: give --persistence SIZE",
            Stick(Paths.LiveIso, File("x.img")).Err);
        Assert.Contains("no such image file", Stick(File("missing.iso"), File("x.img"), "64M").Err);
        Assert.Contains("is the image itself", Stick(Paths.LiveIso, Paths.LiveIso).Err);
        Assert.Contains("holds no Live image", Stick(null, Paths.Kernel).Err);
        Assert.Contains("neither a block device nor an image file", Stick(Paths.LiveIso, "/dev/null", "64M").Err);
    }
}
