// The pure newc writer on trees built in memory, read back by GNU cpio and by the field table: every
// file type, pre-order, content byte for byte, hard links as the kernel links them, clamped times.
using System.Text;
using Preinit.Core.Cpio;
using Preinit.Core.Ext2;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Cpio;

public class CpioWriterTests
{
    /// <summary>The ext2 tests' tree with every file type, and what only newc can hold: a symlink target of 4000 bytes;
    /// a file whose size is not a multiple of 4; a subdirectory, so link counts of directories differ.</summary>
    private static TreeBuilder Odd() =>
        TreeBuilder.Odd().Dir("dev/pts").Symlink("far", new string('x', 4000)).File("odd-size", "123456"u8.ToArray());

    private static byte[] Content(TreeBuilder tree, string path)
    {
        using var content = new MemoryStream();
        using (var stream = tree.Entries.Single(e => e.Path == path).OpenContent!()) stream.CopyTo(content);
        return content.ToArray();
    }

    /// <summary>The line of GNU cpio's verbose listing that names <paramref name="path"/>.</summary>
    private static string Line(string[] listing, string path) =>
        listing.Single(l => l.EndsWith(" " + path, StringComparison.Ordinal) || l.Contains($" {path} -> ", StringComparison.Ordinal));

    [Fact]
    public void Write_EveryFileType_GnuCpioListsThemInPreOrder()
    {
        using var dir = new TempDir();
        var archive = CpioArchive.Write(dir, Odd().Entries);

        // Every directory right before what is in it; names as the source lists them, no leading "./" or "/".
        Assert.Equal(
            [".", "bin", "bin/busybox", "bin/sh", "bin/hardlink", "slow", "tmp", "shared", "dev", "dev/null", "dev/loop200",
             "dev/big-minor", "dev/initctl", "dev/log", "dev/pts", "owned", "empty", new string('n', 255), "hardlink-two", "far",
                 "odd-size"],
            CpioArchive.List(archive));
        var listing = CpioArchive.List(archive, verbose: true);
        Assert.Matches(@"^-rwsr-xr-x +3 0 +0 +0 ", Line(listing, "bin/busybox"));
        Assert.Matches(@"^-rwsr-xr-x +3 0 +0 +0 ", Line(listing, "bin/hardlink"));
        Assert.Matches(@"^-rwsr-xr-x +3 0 +0 +300000 ", Line(listing, "hardlink-two"));
        Assert.Matches(@"^lrwxrwxrwx +1 0 +0 +7 .* bin/sh -> busybox$", Line(listing, "bin/sh"));
        Assert.Matches(@"^drwxrwxrwt +2 ", Line(listing, "tmp"));
        Assert.Matches(@"^drwxr-sr-x +2 100000 +70000 ", Line(listing, "shared"));
        Assert.Matches(@"^drwxr-xr-x +3 ", Line(listing, "dev"));
        Assert.Matches(@"^crw-r--r-- +1 0 +0 +1, +3 ", Line(listing, "dev/null"));
        Assert.Matches(@"^brw-r--r-- +1 0 +0 +7, +200 ", Line(listing, "dev/loop200"));
        Assert.Matches(@"^crw-r--r-- +1 0 +0 +259, +70000 ", Line(listing, "dev/big-minor"));
        Assert.Matches(@"^prw-r--r-- ", Line(listing, "dev/initctl"));
        Assert.Matches(@"^srw-r--r-- ", Line(listing, "dev/log"));
        Assert.Matches(@"^-rw-r--r-- +1 1234567 +7654321 +5 ", Line(listing, "owned"));
    }

    [Fact]
    public void Write_EveryFileType_GnuCpioExtractsContentModesAndLinks()
    {
        using var dir = new TempDir();
        var tree = Odd();
        var archive = CpioArchive.Write(dir, tree.Entries);
        var into = dir.File("x");
        CpioArchive.Extract(archive, into);

        foreach (var file in new[] { "bin/busybox", "owned", "empty", "odd-size", new string('n', 255) })
            Assert.Equal(Content(tree, file), File.ReadAllBytes(Path.Combine(into, file)));
        Assert.Equal("busybox", Libc.Readlink(Path.Combine(into, "bin/sh")));
        Assert.Equal(new string('x', 4000), Libc.Readlink(Path.Combine(into, "far")));

        var busybox = Libc.Lstat(Path.Combine(into, "bin/busybox"));
        Assert.Equal(0b100_111_101_101u, busybox.stx_mode & 0xFFFu);
        Assert.Equal(3u, busybox.stx_nlink);
        Assert.Equal(busybox.stx_ino, Libc.Lstat(Path.Combine(into, "bin/hardlink")).stx_ino);
        Assert.Equal(busybox.stx_ino, Libc.Lstat(Path.Combine(into, "hardlink-two")).stx_ino);
        Assert.Equal(TreeBuilder.Time + 1, busybox.stx_mtime.tv_sec);
        Assert.Equal(0b001_111_111_111u, Libc.Lstat(Path.Combine(into, "tmp")).stx_mode & 0xFFFu);
        Assert.Equal(0b010_111_101_101u, Libc.Lstat(Path.Combine(into, "shared")).stx_mode & 0xFFFu);
        Assert.Equal(Libc.S_IFIFO, Libc.Lstat(Path.Combine(into, "dev/initctl")).FileType);
    }

    [RootFact]
    public void Write_DevicesAndOwners_GnuCpioExtractsThemAsRoot()
    {
        using var dir = new TempDir();
        var archive = CpioArchive.Write(dir, Odd().Entries);
        var into = dir.File("x");
        CpioArchive.Extract(archive, into);

        var loop = Libc.Lstat(Path.Combine(into, "dev/loop200"));
        Assert.Equal(Libc.S_IFBLK, loop.FileType);
        Assert.Equal((7u, 200u), (loop.stx_rdev_major, loop.stx_rdev_minor));
        var big = Libc.Lstat(Path.Combine(into, "dev/big-minor"));
        Assert.Equal(Libc.S_IFCHR, big.FileType);
        Assert.Equal((259u, 70000u), (big.stx_rdev_major, big.stx_rdev_minor));
        var owned = Libc.Lstat(Path.Combine(into, "owned"));
        Assert.Equal((1234567u, 7654321u), (owned.stx_uid, owned.stx_gid));
    }

    [Fact]
    public void Write_HardLinks_OneInodeAndTheContentOnTheLastNameOnly()
    {
        using var dir = new TempDir();
        var tree = Odd();
        var entries = CpioArchive.Read(File.ReadAllBytes(CpioArchive.Write(dir, tree.Entries)));
        var names = entries.Where(e => e.Name is "bin/busybox" or "bin/hardlink" or "hardlink-two").ToList();

        Assert.Equal(["bin/busybox", "bin/hardlink", "hardlink-two"], names.Select(e => e.Name));
        Assert.All(names, e => Assert.Equal(3u, e.Header.Nlink));
        Assert.Single(names.Select(e => e.Header.Ino).Distinct());
        Assert.Equal([0u, 0u, 300_000u], names.Select(e => e.Header.FileSize));
        Assert.Equal(Content(tree, "bin/busybox"), names[2].Data);
        // Every other entry has an inode number of its own, counted by the writer from 1.
        var others = entries.Where(e => !names.Contains(e) && e.Name != CpioNewc.TrailerName).Select(e => e.Header.Ino).ToList();
        Assert.Equal(others.Count, others.Distinct().Count());
        Assert.DoesNotContain(names[0].Header.Ino, others);
        Assert.Equal(1u, entries[0].Header.Ino);
    }

    [Fact]
    public void Write_Directories_LinkCountIsTwoAndOnePerSubdirectory()
    {
        using var dir = new TempDir();
        var entries = CpioArchive.Read(File.ReadAllBytes(CpioArchive.Write(dir, Odd().Entries)));
        Assert.Equal(6u, entries.Single(e => e.Name == ".").Header.Nlink);      // bin tmp shared dev
        Assert.Equal(3u, entries.Single(e => e.Name == "dev").Header.Nlink);    // pts
        Assert.Equal(2u, entries.Single(e => e.Name == "dev/pts").Header.Nlink);
    }

    [Theory]
    [InlineData(-5, 0u)]
    [InlineData(0x1_2345_6789L, 0xFFFF_FFFFu)]
    [InlineData(4_000_000_000L, 4_000_000_000u)]
    public void Write_ModifyTime_ClampedToUnsigned32Bits(long time, uint expected)
    {
        using var dir = new TempDir();
        var tree = new TreeBuilder().Entry(new Ext2TreeEntry("f", Ext2FileType.Regular) { ModifyTime = time, Permissions = 0b110_100_100 });
        var entries = CpioArchive.Read(File.ReadAllBytes(CpioArchive.Write(dir, tree.Entries)));
        Assert.Equal(expected, entries.Single(e => e.Name == "f").Header.Mtime);
    }

    [Fact]
    public void Write_RootOwned_EveryEntryIsRoots()
    {
        using var dir = new TempDir();
        var entries = CpioArchive.Read(File.ReadAllBytes(CpioArchive.Write(dir, Odd().Entries, new CpioWriteOptions { RootOwned = true })));
        Assert.All(entries, e => Assert.Equal((0u, 0u), (e.Header.Uid, e.Header.Gid)));
    }

    [Fact]
    public void Write_EndsWithTheTrailerGnuCpioWrites()
    {
        using var dir = new TempDir();
        var ours = File.ReadAllBytes(CpioArchive.Write(dir, new TreeBuilder().Entries));
        var gnu = Gnu(dir, "nothing", _ => { });
        var trailer = CpioNewc.HeaderSize + CpioNewc.TrailerName.Length + 1;
        trailer += CpioNewc.Padding(trailer);
        var gnuTrailer = gnu.AsSpan(gnu.AsSpan().IndexOf("TRAILER!!!"u8) - CpioNewc.HeaderSize, trailer);
        Assert.Equal(Encoding.ASCII.GetString(gnuTrailer), Encoding.ASCII.GetString(ours, ours.Length - trailer, trailer));
    }

    [Fact]
    public void Write_OneFile_SameHeaderFieldsNameAndPaddingAsGnuCpio()
    {
        using var dir = new TempDir();
        var content = "seven b"u8.ToArray();
        var gnu = Gnu(dir, "gnu", root =>
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllBytes(Path.Combine(root, "etc/motd"), content);
            Libc.Chmod(Path.Combine(root, "etc/motd"), 0b110_100_000);
            File.SetLastWriteTimeUtc(Path.Combine(root, "etc/motd"), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime);
        }, "etc/motd");
        var tree = new TreeBuilder().Dir("etc").Entry(new Ext2TreeEntry("etc/motd", Ext2FileType.Regular)
        {
            Permissions = 0b110_100_000, ModifyTime = 1_700_000_000, Size = content.Length, OpenContent = () => new MemoryStream(content),
        });
        var ours = File.ReadAllBytes(CpioArchive.Write(dir, tree.Entries, new CpioWriteOptions { RootOwned = true }));

        var gnuEntry = CpioArchive.Read(gnu)[0];
        var ourEntry = CpioArchive.Read(ours).Single(e => e.Name == "etc/motd");
        Assert.Equal(Except(gnuEntry.Header), Except(ourEntry.Header));
        Assert.Equal(gnuEntry.Data, ourEntry.Data);
        // Byte for byte from the mode field to the end of the data and its padding: only the inode and the
        // filesystem's device number (fields our writer numbers itself) may differ.
        var gnuBytes = EntryBytes(gnu, "etc/motd");
        var ourBytes = EntryBytes(ours, "etc/motd");
        Assert.Equal(Encoding.ASCII.GetString(gnuBytes[CpioNewc.Mode..CpioNewc.DevMajor]),
            Encoding.ASCII.GetString(ourBytes[CpioNewc.Mode..CpioNewc.DevMajor]));
        Assert.Equal(Encoding.ASCII.GetString(gnuBytes[CpioNewc.RdevMajor..]), Encoding.ASCII.GetString(ourBytes[CpioNewc.RdevMajor..]));

        static CpioHeader Except(CpioHeader h) => h with { Ino = 0, DevMajor = 0, DevMinor = 0 };
    }

    [Fact]
    public void WriteGzip_GunzipsToTheSameArchive()
    {
        using var dir = new TempDir();
        var plain = File.ReadAllBytes(CpioArchive.Write(dir, Odd().Entries));
        var gz = dir.File("odd.cpio.gz");
        using (var output = File.Create(gz)) CpioWriter.WriteGzip(new Ext2EntryList(Odd().Entries), output);
        Assert.Equal(plain, Convert.FromHexString(Tools.Run("sh", "-c", $"gzip -dc '{gz}' | od -An -v -tx1 | tr -d ' \\n'")));
    }

    /// <summary>GNU cpio -o -H newc -R 0:0 on the given names of a directory made by <paramref name="make"/>.</summary>
    private static byte[] Gnu(TempDir dir, string name, Action<string> make, params string[] names)
    {
        var root = Directory.CreateDirectory(dir.File(name)).FullName;
        make(root);
        var list = dir.File(name + ".list");
        File.WriteAllLines(list, names);
        var archive = dir.File(name + ".cpio");
        Tools.Run("sh", "-c", $"cd '{root}' && cpio -o -H newc -R 0:0 --quiet < '{list}' > '{archive}'");
        return File.ReadAllBytes(archive);
    }

    /// <summary>The bytes of the entry named <paramref name="name"/>: header, name, padding, data, padding.</summary>
    private static byte[] EntryBytes(byte[] archive, string name)
    {
        var at = 0;
        foreach (var e in CpioArchive.Read(archive))
        {
            var length = CpioNewc.HeaderSize + (int)e.Header.NameSize;
            length += CpioNewc.Padding(length) + (int)e.Header.FileSize;
            length += CpioNewc.Padding(length);
            if (e.Name == name) return archive[at..(at + length)];
            at += length;
        }
        throw new InvalidDataException($"{name} not in the archive");
    }
}
