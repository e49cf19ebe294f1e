// A root directory that can run the published preinit and busybox under chroot: the binary, its
// libc files, busybox, and /proc and /dev mounted, for root tests of the pivots.
using Preinit.Interop;

namespace Preinit.Tests.Support;

public static class PreinitChroot
{
    private static readonly string[] Libraries = ["/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
        "/lib64/ld-linux-x86-64.so.2"];

    /// <summary>Fills <paramref name="root"/> (preinit at /preinit, busybox at /bin/busybox) and mounts /proc and /dev in it
    /// unless <paramref name="mountKernelFilesystems"/> is false.</summary>
    public static void Make(string root, bool mountKernelFilesystems = true)
    {
        Tier.Require(File.Exists(Paths.PublishedBinary) ? null : $"{Paths.PublishedBinary} missing (run ./publish.sh)");
        Tier.Require(File.Exists("/bin/busybox") ? null : "busybox-static missing (./publish.sh deps)");
        foreach (var file in Libraries)
        {
            Directory.CreateDirectory(root + Path.GetDirectoryName(file));
            File.Copy(file, root + file);
        }
        File.Copy(Paths.PublishedBinary, Path.Combine(root, "preinit"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        foreach (var d in new[] { "proc", "dev", "etc" }) Directory.CreateDirectory(Path.Combine(root, d));
        if (!mountKernelFilesystems)
        {
            // What an initramfs has before /dev is mounted: the runtime reads /dev/urandom before Main.
            Libc.Mknod(Path.Combine(root, "dev/urandom"), Libc.S_IFCHR | 0b110_110_110, Libc.MakeDev(1, 9));
            Libc.Mknod(Path.Combine(root, "dev/null"), Libc.S_IFCHR | 0b110_110_110, Libc.MakeDev(1, 3));
            return;
        }
        Libc.Mount("proc", Path.Combine(root, "proc"), "proc", 0, null);
        Libc.Mount("devtmpfs", Path.Combine(root, "dev"), "devtmpfs", 0, null);
    }

    /// <summary>Runs preinit with <paramref name="arguments"/> chrooted into
    /// <paramref name="root"/>, in a mount namespace of its own.</summary>
    public static (int ExitCode, string Output) Run(string root, params string[] arguments) =>
        Chrooted(root, ["/preinit", .. arguments]);

    /// <summary>Runs a busybox shell script chrooted into <paramref name="root"/>, in a mount namespace of its own.</summary>
    public static (int ExitCode, string Output) RunShell(string root, string script) =>
        Chrooted(root, ["/bin/busybox", "sh", "-c", script]);

    private static (int ExitCode, string Output) Chrooted(string root, string[] command)
    {
        var run = Tools.Capture("unshare", ["--mount", "--propagation", "private", "chroot", root, .. command]);
        return (run.Exit, run.All);
    }
}
