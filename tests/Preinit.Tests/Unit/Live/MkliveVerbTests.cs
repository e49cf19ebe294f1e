// `preinit mklive` on what users give it: a rootfs tarball becomes an ISO with preinit and the
// kernel's modules in its initramfs; a directory or tarball that is no rootfs, a file that is no
// tarball, a kernel set without loop and missing loaders are each refused with an Error: line that
// names the thing and the fix, before any ISO is written.
using System.Formats.Tar;
using System.IO.Compression;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Live;

public sealed class MkliveVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-mklive.").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Iso => Path.Combine(_dir, "out.iso");

    private static string Modules => Path.Combine(Paths.Out, "cache", "kernel", "lib", "modules");
    private static string Efi => Path.Combine(Paths.Out, "cache", "efi");

    private (int Code, string Out, string Err) Mklive(string rootfs, params string[] more) =>
        Verbs.Run(["mklive", rootfs, Iso, "--binary", Paths.PublishedBinary, "--kernel", Paths.Kernel, "--modules", Modules, "--efi", Efi,
            .. more]);

    private string TarGzOf(string directory)
    {
        var archive = Path.Combine(_dir, Path.GetFileName(directory) + ".tar.gz");
        using var file = File.Create(archive);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        TarFile.CreateFromDirectory(directory, gzip, includeBaseDirectory: false);
        return archive;
    }

    private void AssertRefused((int Code, string Out, string Err) result, string message)
    {
        Assert.Equal(1, result.Code);
        Assert.StartsWith("Error: ", result.Err);
        Assert.Contains(message, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.False(File.Exists(Iso), "no ISO may be written");
    }

    [PublishedFact]
    public void RootfsTarball_BecomesAnIso_WithPreinitAndTheKernelsModulesInItsInitramfs()
    {
        var work = Path.Combine(_dir, "work");
        var result = Mklive(TarGzOf(Path.Combine(Paths.Out, "rootfs")), "--work", work, "--append", "preinit.debug");

        Assert.True(result.Code == 0, result.Err);
        Assert.True(File.Exists(Iso));
        var listing = Tools.Run("cpio", "-t", "--quiet", "-F", Gunzip(Path.Combine(work, "initramfs.cpio.gz")));
        Assert.Contains("sbin/preinit\n", listing);
        Assert.Contains("/loop.ko", listing);
        Assert.Contains("/overlay.ko", listing);
        Assert.Contains("preinit.debug", File.ReadAllText(Path.Combine(work, "iso", "boot", "grub", "grub.cfg")));
        var files = Tools.Run("xorriso", "-indev", Iso, "-find", "/boot", "-exec", "lsdl");
        foreach (var file in new[] { "/boot/vmlinuz", "/boot/initramfs.gz", "/boot/efiboot.img" }) Assert.Contains(file, files);
    }

    private string Gunzip(string archive)
    {
        var raw = Path.Combine(_dir, "initramfs.cpio");
        using var input = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var output = File.Create(raw);
        input.CopyTo(output);
        return raw;
    }

    [PublishedFact]
    public void DirectoryWithoutInit_IsNotARootfs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tree", "etc"));
        AssertRefused(Mklive(Path.Combine(_dir, "tree")), $"{Path.Combine(_dir, "tree")} has no /sbin/init: it is not a rootfs");
    }

    [PublishedFact]
    public void TarballWithoutInit_IsNotARootfsTarball()
    {
        var tree = Directory.CreateDirectory(Path.Combine(_dir, "backup", "etc")).Parent!.FullName;
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "router\n");
        var archive = TarGzOf(tree);
        AssertRefused(Mklive(archive), $"{archive} holds no /sbin/init: it is not a rootfs tarball");
    }

    [PublishedFact]
    public void FileThatIsNoTarball_IsSaidSo()
    {
        var file = Path.Combine(_dir, "rootfs.tar.gz");
        File.WriteAllText(file, "not an archive\n");
        AssertRefused(Mklive(file), $"{file} is not a readable .tar.gz");
    }

    [PublishedFact]
    public void KernelWithoutLoop_IsRefused()
    {
        var release = Path.GetFileName(Assert.Single(Directory.GetDirectories(Modules)));
        var overlay = Directory.GetFiles(Path.Combine(Modules, release), "overlay.ko*", SearchOption.AllDirectories)[0];
        var modules = Directory.CreateDirectory(Path.Combine(_dir, "modules", release, "kernel")).Parent!.Parent!.FullName;
        File.Copy(overlay, Path.Combine(modules, release, "kernel", Path.GetFileName(overlay)));

        var result = Verbs.Run("mklive", Path.Combine(Paths.Out, "rootfs"), Iso, "--binary", Paths.PublishedBinary, "--kernel",
            Paths.Kernel,
            "--modules", modules, "--efi", Efi, "--work", Path.Combine(_dir, "work"));

        AssertRefused(result, $"the kernel {release} has no loop (neither built in nor in {modules}/{release}): " +
            "a Live image needs loop, ext4, overlay");
    }

    [PublishedFact]
    public void MissingLoaders_AreNamedWithTheirPackages_BeforeAnythingIsStaged()
    {
        var result = Verbs.Run("mklive", Path.Combine(Paths.Out, "rootfs"), Iso, "--binary", Paths.PublishedBinary, "--kernel",
            Paths.Kernel,
            "--modules", Modules, "--efi", Path.Combine(_dir, "no-efi"), "--work", Path.Combine(_dir, "work"));

        AssertRefused(result, $"cannot write the ISO, missing: {Path.Combine(_dir, "no-efi")}/usr/lib/shim/shimx64.efi.signed " +
            "(apt-get install shim-signed, or give --efi DIR where its .deb is unpacked)");
        Assert.False(Directory.Exists(Path.Combine(_dir, "work", "initramfs")));
    }
}
