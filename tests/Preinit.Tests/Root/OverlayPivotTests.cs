// The extroot pivot for real: a tmpfs plays the RAM root, another the stick; `preinit
// pivot-overlay` runs chrooted into the root, and what the new root's shell writes under /etc
// lands in the stick's upper layer while the RAM root stays untouched at /rom.
using System.Diagnostics;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class OverlayPivotTests
{
    [RootFact]
    public void PivotOverlay_WritesGoToTheStickAndTheOldRootIsAtRom()
    {
        Tier.Require(File.Exists(Paths.PublishedBinary) ? null : $"{Paths.PublishedBinary} missing (run ./publish.sh)");
        Tier.Require(File.Exists("/bin/busybox") ? null : "busybox-static missing (./publish.sh deps)");
        using var scratch = new Scratch();
        var root = scratch.Path;
        foreach (var file in new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6", "/lib64/ld-linux-x86-64.so.2" })
        {
            Directory.CreateDirectory(root + Path.GetDirectoryName(file));
            File.Copy(file, root + file);
        }
        File.Copy(Paths.PublishedBinary, Path.Combine(root, "preinit"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/config"), "from the RAM root\n");
        foreach (var d in new[] { "proc", "dev", "storage" }) Directory.CreateDirectory(Path.Combine(root, d));
        Libc.Mount("proc", Path.Combine(root, "proc"), "proc", 0, null);
        Libc.Mount("devtmpfs", Path.Combine(root, "dev"), "devtmpfs", 0, null);
        var stick = Path.Combine(root, "storage");
        Libc.Mount("tmpfs", stick, "tmpfs", 0, "size=16m");

        var script = "echo changed > /etc/config; echo new > /etc/added; " +
            "echo root=$(/bin/busybox awk '$2 == \"/\" { t = $3 } END { print t }' /proc/mounts) rom=$(/bin/busybox cat /rom/etc/config)";
        var run = Process.Start(new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "chroot", root,
            "/preinit", "pivot-overlay", "/storage", "/bin/busybox", "sh", "-c", script])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = run.StandardOutput.ReadToEnd() + run.StandardError.ReadToEnd();
        run.WaitForExit();

        Assert.True(run.ExitCode == 0, output);
        Assert.Contains("root=overlay rom=from the RAM root", output);
        Assert.Contains("created /storage/upper (first use of this stick)", output);
        Assert.Equal("changed\n", File.ReadAllText(Path.Combine(stick, "upper/etc/config")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(stick, "upper/etc/added")));
        Assert.Equal("from the RAM root\n", File.ReadAllText(Path.Combine(root, "etc/config")));
    }
}
