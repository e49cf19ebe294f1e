// The published binary installs itself into a rootfs, runs from there under chroot with only the
// libc files install put in, and uninstalls again; and a read-only rootfs gets an error naming the fix.
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class InstallRootTests
{
    [RootFact]
    public void PublishedInstall_RunsInTheRootfs_AndUninstallGivesBackTheTree()
    {
        Tier.Require(File.Exists(Paths.PublishedBinary) ? null : $"{Paths.PublishedBinary} missing (run ./publish.sh)");
        using var scratch = new Scratch();
        var rootfs = scratch.Sub("rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "dev"));
        Libc.Mknod(Path.Combine(rootfs, "dev/urandom"), Libc.S_IFCHR | 0b110_110_110, Libc.MakeDev(1, 9)); // .NET seeds its hashing from it
        var before = TreeSnapshot.Of(rootfs);

        var (code, output) = Preinit("install", rootfs);
        Assert.True(code == 0, output);
        Assert.Contains($"installed  {rootfs}/sbin/preinit: {new FileInfo(Paths.PublishedBinary).Length} " +
            $"bytes from {Paths.PublishedBinary}", output);
        Assert.Contains($"created    {rootfs}/lib/x86_64-linux-gnu/libc.so.6: ", output);

        (code, output) = Run("chroot", rootfs, "/sbin/preinit", "version");
        Assert.True(code == 0, output);
        Assert.StartsWith("preinit ", output);

        (code, output) = Preinit("install", "--uninstall", rootfs);
        Assert.True(code == 0, output);
        Assert.Equal(before, TreeSnapshot.Of(rootfs));
    }

    [RootFact]
    public void PublishedInstall_ReadOnlyRootfs_SaysToRemountIt()
    {
        Tier.Require(File.Exists(Paths.PublishedBinary) ? null : $"{Paths.PublishedBinary} missing (run ./publish.sh)");
        using var scratch = new Scratch();
        var rootfs = scratch.Sub("rootfs");
        Libc.Mount("tmpfs", rootfs, "tmpfs", Libc.MS_RDONLY, "mode=0755");
        try
        {
            var (code, output) = Preinit("install", rootfs);

            Assert.Equal(1, code);
            Assert.Contains("Read-only file system (EROFS)", output);
            Assert.EndsWith($"{rootfs} is on a read-only filesystem: remount it read-write (mount -o remount,rw) or install into a copy\n",
                output);
            Assert.Empty(Directory.EnumerateFileSystemEntries(rootfs));
        }
        finally { Libc.Umount2(rootfs, 0); }
    }

    private static (int Code, string Output) Preinit(params string[] args) => Run(Paths.PublishedBinary, args);

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var run = Tools.Capture(program, args);
        return (run.Exit, run.All);
    }
}
