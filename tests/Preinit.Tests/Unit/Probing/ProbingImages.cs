// Images for the probing tests, made at test time by the real mkfs tools, with labels and UUIDs that
// trip naive code: 16-byte ext labels with no NUL, spaces, UTF-8, a FAT label only in the root
// directory or only in the boot sector, no label at all, fixed UUIDs. Each image is made once per
// test run (on first use) in a temporary directory, and big ones are sparse files.
using System.Collections.Concurrent;
using System.Text;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

/// <summary>What the test expects besides blkid parity (Any: whatever blkid says).</summary>
public sealed record Expected(string? Type, string? Label = Expected.Any, string? Uuid = Expected.Any, string? Version = Expected.Any)
{
    public const string Any = "\u0001any";
    public static readonly Expected Nothing = new(null, null, null, null);
}

public sealed record ImageRecipe(string Name, string[] Tools, Action<ProbingImages, string> Make, Expected Expect)
{
    public override string ToString() => Name;
}

public sealed class ProbingImages : IDisposable
{
    public const string Utf8Label = "Ünïcødé ✓";   // 15 bytes: fits ext's 16
    // GPT partition type GUIDs (sfdisk's "EFI System" and "Linux filesystem"), named to keep the sfdisk script's lines short.
    private const string EfiSystemType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    private const string LinuxFilesystemType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    /// <summary>"ÜNÏ ÆØ" in code page 850 as the probers keep it: bytes that are not UTF-8 as U+DC00+byte (LabelBytes).</summary>
    public const string CodePage850Label = "\uDC9AN\uDCD8 \uDC92\uDC9D";
    private readonly ConcurrentDictionary<string, Lazy<string>> made = new();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("preinit-probing.").FullName;

    public static readonly IReadOnlyList<ImageRecipe> All =
    [
        // ext: labels of exactly 16 bytes (no NUL), UTF-8, leading and trailing spaces (blkid cuts only the trailing ones).
        new("ext2-16-byte-label", ["mkfs.ext2"], (i, p) => i.Mkfs(p, 8, "mkfs.ext2", "-q", "-F", "-L", "0123456789abcdef", "-U",
            "0a0b0c0d-1111-2222-3333-444455556666"),
            new("ext2", "0123456789abcdef", "0a0b0c0d-1111-2222-3333-444455556666", "1.0")),
        new("ext3-utf8-label", ["mkfs.ext3"], (i, p) => i.Mkfs(p, 8, "mkfs.ext3", "-q", "-F", "-L", Utf8Label, "-U",
            "1a0b0c0d-1111-2222-3333-444455556666"),
            new("ext3", Utf8Label, "1a0b0c0d-1111-2222-3333-444455556666", "1.0")),
        new("ext4-spaces-label", ["mkfs.ext4"], (i, p) => i.Mkfs(p, 8, "mkfs.ext4", "-q", "-F", "-L", " my  stick  "),
            new("ext4", " my  stick")),
        new("ext4-no-label", ["mkfs.ext4"], (i, p) => i.Mkfs(p, 8, "mkfs.ext4", "-q", "-F", "-U", "2a0b0c0d-1111-2222-3333-444455556666"),
            new("ext4", null, "2a0b0c0d-1111-2222-3333-444455556666", "1.0")),
        new("ext4-test-filesystem-flag", ["mkfs.ext4"], (i, p) => i.Mkfs(p, 8, "mkfs.ext4", "-q", "-F", "-E", "test_fs", "-L", "devel"),
            new("ext4dev", "devel")),
        new("ext-journal-device", ["mke2fs"], (i, p) => i.Mkfs(p, 8, "mke2fs", "-q", "-F", "-O", "journal_dev", "-L", "journal"),
            new("jbd", "journal")),

        // vfat: blkid's LABEL is the root directory's volume-label entry only; the boot sector label never stands in.
        new("vfat12-label-in-root-dir-only", ["mkfs.fat"], (i, p) =>
            {
                i.Mkfs(p, 2, "mkfs.fat", "-F", "12", "-n", "ROOTLABEL", "-i", "0000ABCD");
                Patch(p, 0x2B, "BOOTLABEL  "u8);   // the boot sector now says something else
            }, new("vfat", "ROOTLABEL", "0000-ABCD", "FAT12")),
        new("vfat16-label-in-boot-sector-only", ["mkfs.fat"], (i, p) =>
            {
                i.Mkfs(p, 20, "mkfs.fat", "-F", "16", "-n", "BOOTONLY", "-i", "0000BCDE");
                Patch(p, FatRootLabelEntry(p, "BOOTONLY   "), [0xE5]);   // delete the root directory's label entry
            }, new("vfat", null, "0000-BCDE", "FAT16")),
        new("vfat-root-entry-says-no-name", ["mkfs.fat"], (i, p) =>
            {
                i.Mkfs(p, 8, "mkfs.fat", "-n", "PLACEHOLD", "-i", "0000CDEF");
                Patch(p, FatRootLabelEntry(p, "PLACEHOLD  "), "NO NAME    "u8);
            }, new("vfat", "NO NAME", "0000-CDEF")),
        new("vfat-code-page-850-label", ["mkfs.fat"], (i, p) =>
            {
                // mkfs.fat 4.2 refuses non-ASCII labels, so write "ÜNÏ ÆØ" in code page 850 over an ASCII one.
                i.Mkfs(p, 8, "mkfs.fat", "-n", "PLACEHOLD");
                byte[] cp850 = [0x9A, (byte)'N', 0xD8, (byte)' ', 0x92, 0x9D, .. "     "u8];
                Patch(p, FatRootLabelEntry(p, "PLACEHOLD  "), cp850);
                Patch(p, 0x2B, cp850);
            }, new("vfat", CodePage850Label)),
        new("vfat-lowercase-label", ["mkfs.fat"], (i, p) => i.Mkfs(p, 8, "mkfs.fat", "-n", "my stick"), new("vfat", "my stick")),
        new("vfat16-no-label", ["mkfs.fat"], (i, p) => i.Mkfs(p, 20, "mkfs.fat", "-F", "16"), new("vfat", null, Expected.Any, "FAT16")),
        new("vfat32-label", ["mkfs.fat"], (i, p) => i.Mkfs(p, 40, "mkfs.fat", "-F", "32", "-n", "MY STICK", "-i", "1234ABCD"),
            new("vfat", "MY STICK", "1234-ABCD", "FAT32")),
        new("vfat32-label-in-second-root-cluster", ["mkfs.fat"], (i, p) =>
            {
                i.Mkfs(p, 40, "mkfs.fat", "-F", "32", "-s", "1", "-n", "CLUSTER2", "-i", "0000C002");
                MoveFat32LabelToSecondCluster(p);
            }, new("vfat", "CLUSTER2", "0000-C002", "FAT32")),
        new("vfat-floppy", ["mkfs.fat"], (i, p) => i.MkfsKiB(p, 1440, "mkfs.fat", "-n", "FLOPPY", "-i", "0000F10F"),
            new("vfat", "FLOPPY", "0000-F10F", "FAT12")),

        new("exfat-utf8-label", ["mkfs.exfat", "tune.exfat"], (i, p) =>
            {
                i.Mkfs(p, 8, "mkfs.exfat", "-L", Utf8Label);
                ProbingTools.Run("tune.exfat", ["-I", "0x1a2b3c4d", p]);
            }, new("exfat", Utf8Label, "1A2B-3C4D", "1.0")),
        new("exfat-no-label", ["mkfs.exfat"], (i, p) => i.Mkfs(p, 8, "mkfs.exfat"), new("exfat", null)),

        new("ntfs-utf8-label", ["mkntfs", "ntfslabel"], (i, p) =>
            {
                i.Mkfs(p, 8, "mkntfs", "-Q", "-F", "-L", Utf8Label + " NTFS");
                ProbingTools.Run("ntfslabel", ["--new-serial=0123456789abcdef", p]);
            }, new("ntfs", Utf8Label + " NTFS", "0123456789ABCDEF")),
        new("ntfs-no-label", ["mkntfs"], (i, p) => i.Mkfs(p, 8, "mkntfs", "-Q", "-F"), new("ntfs", null)),

        new("btrfs-utf8-label", ["mkfs.btrfs"], (i, p) => i.Mkfs(p, 120, "mkfs.btrfs", "-q", "-L", Utf8Label + " btrfs", "-U",
            "01234567-89ab-cdef-0123-456789abcdef"),
            new("btrfs", Utf8Label + " btrfs", "01234567-89ab-cdef-0123-456789abcdef", null)),
        new("xfs-12-byte-label", ["mkfs.xfs"], (i, p) => i.Mkfs(p, 300, "mkfs.xfs", "-q", "-L", "xfs label 12", "-m",
            "uuid=11111111-2222-3333-4444-555555555555"),
            new("xfs", "xfs label 12", "11111111-2222-3333-4444-555555555555", null)),
        new("f2fs-utf8-label", ["mkfs.f2fs"], (i, p) => i.Mkfs(p, 60, "mkfs.f2fs", "-q", "-l", Utf8Label + " f2fs", "-U",
            "22222222-3333-4444-5555-666666666666"),
            new("f2fs", Utf8Label + " f2fs", "22222222-3333-4444-5555-666666666666")),

        new("f2fs-odd-utf16-label", ["mkfs.f2fs"], (i, p) =>
            {
                // Lone surrogates (kept as their own 3 bytes by blkid), a valid pair, then a NUL that ends the label.
                File.Copy(i.Get("f2fs-utf8-label"), p);
                byte[] utf16 = [(byte)'A', 0, 0x00, 0xD8, (byte)'B', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xDC, (byte)'C', 0, 0, 0, (byte)'D',
                    0];
                Patch(p, 1024 + 0x7C, utf16);
            }, new("f2fs")),
        new("swap-16-byte-label", ["mkswap"], (i, p) =>
            {
                i.Mkfs(p, 1, "mkswap", "-q", "-L", "swap label", "-U", "33333333-4444-5555-6666-777777777777");
                Patch(p, 1024 + 28, "swap label 16ch!"u8);   // mkswap keeps a NUL in the 16 bytes; fill them all
            },
            new("swap", "swap label 16ch!", "33333333-4444-5555-6666-777777777777", "1")),
        new("swap-no-label", ["mkswap"], (i, p) => i.Mkfs(p, 1, "mkswap", "-q"), new("swap", null, Expected.Any, "1")),

        new("squashfs", ["mksquashfs"], (i, p) => ProbingTools.Run("mksquashfs", [i.Tree(), p, "-quiet", "-noappend"]),
            new("squashfs", null, null, "4.0")),
        new("erofs-with-label", ["mkfs.erofs"], (i, p) =>
            {
                ProbingTools.Run("mkfs.erofs", ["-U", "44444444-5555-6666-7777-888888888888", p, i.Tree()]);
                Patch(p, 1024 + 64, "erofs ✓"u8);   // erofs-utils 1.5 has no -L; the label is a plain 16-byte field
            }, new("erofs", "erofs ✓", "44444444-5555-6666-7777-888888888888", null)),

        // iso9660: the Joliet id holds 16 characters; blkid completes it from the primary id when that one agrees.
        new("iso9660-joliet-utf8-label", ["genisoimage"], (i, p) =>
                ProbingTools.Run("genisoimage", ["-quiet", "-input-charset", "utf-8", "-J", "-V", Utf8Label + " Mixed Case", "-o", p,
                    i.Tree()]),
            new("iso9660", Utf8Label + " Mixed", Expected.Any, "Joliet Extension")),
        new("iso9660-joliet-long-ascii-label", ["genisoimage"], (i, p) =>
                ProbingTools.Run("genisoimage", ["-quiet", "-J", "-V", "Mixed Case Long Label 1234", "-o", p, i.Tree()]),
            new("iso9660", "Mixed Case Long Label 1234", Expected.Any, "Joliet Extension")),
        new("iso9660-joliet-merged-with-underscores", ["genisoimage"], (i, p) =>
            {
                // A primary id in d-characters with '_' for each non-ASCII character, as strict ISO tools write it:
                // blkid rebuilds the Joliet label's case and characters, then appends the primary id's tail.
                File.Copy(i.Get("iso9660-joliet-utf8-label"), p);
                Patch(p, 0x8000 + 40, Encoding.ASCII.GetBytes("_N_C_D_ _ MIXED CASE".PadRight(32)));
            }, new("iso9660", "Ünïcødé ✓ Mixed CASE", Expected.Any, "Joliet Extension")),
        new("iso9660-primary-only", ["genisoimage"], (i, p) =>
                ProbingTools.Run("genisoimage", ["-quiet", "-V", "plain PVD label", "-o", p, i.Tree()]),
            new("iso9660", "plain PVD label", Expected.Any, null)),
        new("iso9660-fixed-date", ["xorriso"], (i, p) =>
                ProbingTools.Run("xorriso", ["-as", "mkisofs", "-quiet", "-V", "LIVE_CD", "--modification-date=2026112200123400", "-o", p,
                    i.Tree()]),
            new("iso9660", "LIVE_CD", "2026-11-22-00-12-34-00")),

        new("iso9660-el-torito-xorriso", ["xorriso"], (i, p) =>
            {
                // A plain ISO 9660 + El Torito image as mklive makes the Live CD: no UDF, so it stays iso9660.
                var tree = System.IO.Directory.CreateDirectory(p + ".tree").FullName;
                File.WriteAllBytes(Path.Combine(tree, "boot.img"), new byte[2048]);
                ProbingTools.Run("xorriso", ["-as", "mkisofs", "-quiet", "-J", "-V", "PREINIT_LIVE", "-b", "boot.img", "-no-emul-boot",
                    "--modification-date=2026112200123400", "-o", p, tree]);
            }, new("iso9660", "PREINIT_LIVE", "2026-11-22-00-12-34-00", "Joliet Extension")),
        new("iso9660-hybrid-mbr", ["xorriso"], (i, p) =>
                ProbingTools.Run("xorriso", ["-as", "mkisofs", "-quiet", "-V", "HYBRID", "--protective-msdos-label",
                    "--modification-date=2026112200123400", "-o", p, i.Tree()]),
            new("iso9660", "HYBRID", "2026-11-22-00-12-34-00", null)),

        // udf: mkudffs for a hard disk, for DVD media, with 8-bit characters (Latin-1) and 4096-byte blocks, and a UDF
        // bridge disc (genisoimage -udf: ISO 9660 and UDF on one volume, as DVD images and installers are): blkid says udf.
        new("udf-utf8-label", ["mkudffs"], (i, p) => i.Mkfs(p, 8, "mkudffs", "--label=" + Utf8Label + " UDF", "--uuid=0123456789abcdef"),
            new("udf", Utf8Label + " UDF", "0123456789abcdef", "2.01")),
        new("udf-dvd-media", ["mkudffs"], (i, p) => i.Mkfs(p, 8, "mkudffs", "--media-type=dvd", "--label=DVD VIDEO",
            "--uuid=5fa6f31ee7b7f813"),
            new("udf", "DVD VIDEO", "5fa6f31ee7b7f813", "2.01")),
        new("udf-latin1-label-4096-byte-blocks", ["mkudffs", "sh"], (i, p) =>
            {
                // --u8 takes the label's bytes as Latin-1 (CS0 with 8-bit characters); the 0xE9 byte needs printf.
                Sparse(p, 8);
                ProbingTools.Run("sh", ["-c", "mkudffs --u8 --blocksize=4096 --udfrev=1.50 --uuid=00000000cafe0150 --label=\"$(printf " +
                    "'Caf\\351 1.50')\" \"$0\" >/dev/null", p]);
            }, new("udf", "Café 1.50", "00000000cafe0150", "1.50")),
        new("udf-bridge-genisoimage", ["genisoimage"], (i, p) =>
                ProbingTools.Run("genisoimage", ["-quiet", "-udf", "-J", "-V", "BRIDGE DISC", "-o", p, i.Tree()]),
            new("udf", "BRIDGE DISC", Expected.Any, "1.02")),
        new("udf-with-mbr", ["mkudffs"], (i, p) => i.Mkfs(p, 8, "mkudffs", "--bootarea=mbr", "--label=MBR UDF", "--uuid=00000000000000bb"),
            new("udf", "MBR UDF", "00000000000000bb", "2.01")),

        // JFFS2: blkid does not know it (finds nothing); preinit does, after everything blkid knows.
        new("jffs2-little-endian", ["mkfs.jffs2"], (i, p) => ProbingTools.Run("mkfs.jffs2", ["-l", "-r", i.Tree(), "--pad=65536", "-o", p]),
            new("jffs2", null, null, null)),
        new("jffs2-big-endian", ["mkfs.jffs2"], (i, p) => ProbingTools.Run("mkfs.jffs2", ["-b", "-r", i.Tree(), "--pad=65536", "-o", p]),
            new("jffs2", null, null, null)),

        new("luks1", ["cryptsetup"], (i, p) =>
            {
                Sparse(p, 20);
                ProbingTools.Run("cryptsetup", ["luksFormat", "-q", "--type", "luks1", "--pbkdf-force-iterations", "1000",
                    "--uuid", "55555555-6666-7777-8888-999999999999", "--key-file", "-", p], "passphrase");
            }, new("crypto_LUKS", null, "55555555-6666-7777-8888-999999999999", "1")),
        new("luks2-utf8-label", ["cryptsetup"], (i, p) =>
            {
                Sparse(p, 20);
                ProbingTools.Run("cryptsetup", ["luksFormat", "-q", "--type", "luks2", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations",
                    "1000",
                    "--uuid", "66666666-6666-7777-8888-999999999999", "--label", "luks " + Utf8Label, "--key-file", "-", p], "passphrase");
            }, new("crypto_LUKS", "luks " + Utf8Label, "66666666-6666-7777-8888-999999999999", "2")),
        new("luks2-primary-header-wiped", ["cryptsetup"], (i, p) =>
            {
                File.Copy(i.Get("luks2-utf8-label"), p);
                Patch(p, 0, new byte[6]);   // the secondary header at 16 KiB still says LUKS2
            }, new("crypto_LUKS", "luks " + Utf8Label, "66666666-6666-7777-8888-999999999999", "2")),

        // Partitioned disks (sfdisk), each partition holding a filesystem made by mkfs and copied in place.
        new("disk-dos", ["sfdisk", "mkfs.fat", "mkfs.ext4", "mkfs.ext2", "mkswap"], (i, p) => i.Disk(p, """
                label: dos
                label-id: 0x1234abcd
                start=2048, size=16MiB, type=c
                size=16MiB, type=83
                type=5
                size=8MiB, type=83
                type=82
                """,
                new() { [1] = ["mkfs.fat", "-n", "BOOT", "-i", "0000B007"], [2] = ["mkfs.ext4", "-q", "-F", "-L", "rootfs_data"],
                        [5] = ["mkfs.ext2", "-q", "-F", "-L", Utf8Label], [6] = ["mkswap", "-q", "-L", "swap"] }),
            Expected.Nothing),
        new("disk-gpt", ["sfdisk", "mkfs.fat", "mkfs.ext4"], (i, p) => i.Disk(p, $"""
                label: gpt
                label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
                %1 : start=2048, size=16MiB, type={EfiSystemType}, name="{Utf8Label}", uuid=11111111-2222-3333-4444-555555555555
                %2 : size=16MiB, type={LinuxFilesystemType}, name="rootfs_data", uuid=21111111-2222-3333-4444-555555555555
                %4 : size=8MiB, type={LinuxFilesystemType}, uuid=41111111-2222-3333-4444-555555555555
                """,
                new() { [1] = ["mkfs.fat", "-F", "16", "-n", "EFI", "-i", "00000EF1"],
                    [2] = ["mkfs.ext4", "-q", "-F", "-L", "rootfs_data"] }),
            Expected.Nothing),
        new("disk-gpt-backup-header-only", ["sfdisk", "mkfs.fat", "mkfs.ext4"], (i, p) =>
            {
                File.Copy(i.Get("disk-gpt"), p);
                Patch(p, 512, new byte[512]);   // the primary header is gone: blkid reads the backup in the last sector
            }, Expected.Nothing),
        new("disk-protective-mbr-only", ["sfdisk", "mkfs.fat", "mkfs.ext4"], (i, p) =>
            {
                File.Copy(i.Get("disk-gpt"), p);
                Patch(p, 512, new byte[512]);
                Patch(p, new FileInfo(p).Length - 512, new byte[512]);   // both headers gone: blkid says "PMBR"
            }, Expected.Nothing),

        // Two filesystems on one device: blkid -p says nothing ("ambivalent"), and so do we.
        new("ambivalent-vfat-over-ext2", ["mkfs.ext2", "mkfs.fat"], (i, p) =>
            {
                i.Mkfs(p, 8, "mkfs.ext2", "-q", "-F");
                var fat = p + ".fat";
                i.Mkfs(fat, 8, "mkfs.fat");
                Patch(p, 0, File.ReadAllBytes(fat).AsSpan(0, 512));
            }, Expected.Nothing),
        new("ambivalent-ext2-over-btrfs-with-mbr", ["mkfs.btrfs", "mkfs.ext2", "sfdisk"], (i, p) =>
            {
                // Two filesystems and a partition table: blkid -p reports nothing at all, the table included.
                i.Mkfs(p, 120, "mkfs.btrfs", "-q");
                var ext2 = p + ".ext2";
                i.Mkfs(ext2, 8, "mkfs.ext2", "-q", "-F");
                using (var f = File.OpenRead(ext2)) { f.Position = 1024; var sb = new byte[1024]; f.ReadExactly(sb); Patch(p, 1024, sb); }
                ProbingTools.Run("sfdisk", ["-q", "--no-reread", "--wipe", "never", p], "label: dos\nstart=2048, size=10MiB, type=83\n");
            }, Expected.Nothing),
        new("zeros", [], (i, p) => Sparse(p, 1), Expected.Nothing),
        new("random-bytes", [], (i, p) =>
            {
                var bytes = new byte[1 << 20];
                new Random(1985).NextBytes(bytes);
                File.WriteAllBytes(p, bytes);
            }, Expected.Nothing),
    ];

    public static ImageRecipe Recipe(string name) => All.Single(r => r.Name == name);

    /// <summary>The image made by the recipe (made on first use).</summary>
    public string Get(string name) => Get(Recipe(name));

    public string Get(ImageRecipe recipe) => made.GetOrAdd(recipe.Name, _ => new Lazy<string>(() =>
    {
        var path = Path.Combine(Directory, recipe.Name + ".img");
        recipe.Make(this, path);
        return path;
    })).Value;

    /// <summary>A small tree for the image builders (squashfs, erofs, iso9660, jffs2).</summary>
    public string Tree()
    {
        var tree = Path.Combine(Directory, "tree");
        if (!System.IO.Directory.Exists(Path.Combine(tree, "etc")))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(tree, "etc"));
            File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "preinit\n");
            File.WriteAllBytes(Path.Combine(tree, "blob"), new byte[20_000]);
        }
        return tree;
    }

    /// <summary>A 64 MiB sparse disk partitioned by the sfdisk script ("%N" stands for the partition node N),
    /// with the filesystem that mkfs (tool, args...) makes for partition N copied into it.</summary>
    public void Disk(string path, string script, Dictionary<int, string[]> filesystems)
    {
        Sparse(path, 64);
        ProbingTools.Run("sfdisk", ["-q", path], script.Replace("%", path));
        foreach (var part in Sfdisk.Partitions(path))
        {
            if (!filesystems.TryGetValue(part.Number, out var mkfs)) continue;
            var fs = path + "." + part.Number;
            using (var f = File.Create(fs)) f.SetLength(part.SizeBytes);
            ProbingTools.Run(mkfs[0], [.. mkfs[1..], fs]);
            using var disk = new FileStream(path, FileMode.Open, FileAccess.Write);
            using var src = File.OpenRead(fs);
            var buffer = new byte[1 << 16];
            for (long at = 0; at < part.SizeBytes; at += buffer.Length)
            {
                var n = src.Read(buffer);
                if (n <= 0) break;
                if (buffer.AsSpan(0, n).IndexOfAnyExcept((byte)0) < 0) continue;   // keep the disk sparse
                disk.Position = part.StartBytes + at;
                disk.Write(buffer, 0, n);
            }
            src.Close();
            File.Delete(fs);
        }
    }

    /// <summary>A sparse file of mib MiB, then tool args... FILE.</summary>
    public void Mkfs(string path, int mib, string tool, params string[] args) => MkfsKiB(path, mib * 1024, tool, args);

    public void MkfsKiB(string path, int kib, string tool, params string[] args)
    {
        using (var f = File.Create(path)) f.SetLength(kib * 1024L);
        ProbingTools.Run(tool, [.. args, path]);
    }

    public static void Sparse(string path, int mib)
    {
        using var f = File.Create(path);
        f.SetLength(mib * (1L << 20));
    }

    public static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Position = offset;
        f.Write(bytes);
    }

    /// <summary>Moves a FAT32 root directory's label entry into a second cluster of the root directory (cluster
    /// 3, chained after 2 in both FATs), leaving 2 full of deleted entries: the label is found by following the chain.</summary>
    public static void MoveFat32LabelToSecondCluster(string path)
    {
        var image = File.ReadAllBytes(path);
        int sectorSize = BitConverter.ToUInt16(image, 0x0B), clusterSectors = image[0x0D], reserved = BitConverter.ToUInt16(image, 0x0E),
            fats = image[0x10];
        var fatSectors = (int)BitConverter.ToUInt32(image, 0x24);
        var root = (int)BitConverter.ToUInt32(image, 0x2C);
        Assert.Equal(2, root);
        var clusterBytes = sectorSize * clusterSectors;
        var data = (reserved + fats * fatSectors) * sectorSize;
        var cluster2 = data;
        var cluster3 = data + clusterBytes;
        var label = image.AsSpan(cluster2, 32).ToArray();
        Assert.Equal(0x08, label[11]);
        for (var f = 0; f < fats; f++)
        {
            var fat = (reserved + f * fatSectors) * sectorSize;
            Assert.Equal(0u, BitConverter.ToUInt32(image, fat + 3 * 4) & 0x0FFFFFFF);
            BitConverter.TryWriteBytes(image.AsSpan(fat + 2 * 4), 3u);
            BitConverter.TryWriteBytes(image.AsSpan(fat + 3 * 4), 0x0FFFFFFFu);
        }
        for (var e = 0; e < clusterBytes / 32; e++)
        {
            var entry = image.AsSpan(cluster2 + e * 32, 32);
            "XDELETEDTXT"u8.CopyTo(entry);
            entry[0] = 0xE5;
            entry[11] = 0x20;
        }
        image.AsSpan(cluster3, clusterBytes).Clear();
        label.CopyTo(image, cluster3);
        File.WriteAllBytes(path, image);
    }

    /// <summary>Where the FAT root directory's volume-label entry with this 11-byte name is (attribute 0x08).</summary>
    public static long FatRootLabelEntry(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var pattern = Encoding.ASCII.GetBytes(name);
        for (var at = 512; at + 12 <= bytes.Length; at += 32)
            if (bytes.AsSpan(at, 11).SequenceEqual(pattern) && bytes[at + 11] == 0x08) return at;
        throw new InvalidOperationException($"no volume label entry '{name}' in {path}");
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ProbingImagesCollection : ICollectionFixture<ProbingImages>
{
    public const string Name = "Probing images";
}
