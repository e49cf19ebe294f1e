// The extroot pivots for real, in a chroot of the published binary: a tmpfs plays the RAM root,
// another the stick. With `preinit pivot-overlay` what the new root's shell writes under /etc lands
// in the stick's upper layer while the RAM root stays untouched at /rom; with `preinit pivot-root`
// (target /) the stick itself is the root. A read-only stick's saved changes can be used with new
// changes in RAM; a full stick, on which overlayfs would come up read-only, is refused.
using Preinit.Boot.Platform;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class OverlayPivotTests
{
    private const string RootFsType = "$(/bin/busybox awk '$2 == \"/\" { t = $3 } END { print t }' /proc/mounts)";

    private static string Stick(string root, string name)
    {
        var stick = Path.Combine(root, name);
        Directory.CreateDirectory(stick);
        Libc.Mount("tmpfs", stick, "tmpfs", 0, "size=16m");
        return stick;
    }

    [RootFact]
    public void PivotOverlay_WritesGoToTheStickAndTheOldRootIsAtRom()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        File.WriteAllText(Path.Combine(root, "etc/config"), "from the RAM root\n");
        var stick = Stick(root, "storage");

        var (exit, output) = PreinitChroot.Run(root, "pivot-overlay", "/storage", "/bin/busybox", "sh", "-c",
            $"echo changed > /etc/config; echo new > /etc/added; echo root={RootFsType} rom=$(/bin/busybox cat /rom/etc/config)");

        Assert.True(exit == 0, output);
        Assert.Contains("root=overlay rom=from the RAM root", output);
        Assert.Contains("created /storage/upper (first use of this stick)", output);
        Assert.Equal("changed\n", File.ReadAllText(Path.Combine(stick, "upper/etc/config")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(stick, "upper/etc/added")));
        Assert.Equal("from the RAM root\n", File.ReadAllText(Path.Combine(root, "etc/config")));
    }

    [RootFact]
    public void PivotRoot_StickWithInit_BecomesTheWholeRoot()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        File.WriteAllText(Path.Combine(root, "etc/config"), "from the RAM root\n");
        var stick = Stick(root, "mnt");
        Directory.CreateDirectory(Path.Combine(stick, "bin"));
        Directory.CreateDirectory(Path.Combine(stick, "sbin"));
        File.Copy("/bin/busybox", Path.Combine(stick, "bin/busybox"));
        File.CreateSymbolicLink(Path.Combine(stick, "sbin/init"), "/bin/busybox");
        Directory.CreateDirectory(Path.Combine(stick, "etc"));
        File.WriteAllText(Path.Combine(stick, "etc/config"), "from the stick\n");

        var (exit, output) = PreinitChroot.Run(root, "pivot-root", "/mnt", "/bin/busybox", "sh", "-c",
            $"echo written > /etc/added; echo root={RootFsType} etc=$(/bin/busybox cat /etc/config) " +
            "rom=$(/bin/busybox cat /rom/etc/config) proc=$(/bin/busybox test -e /proc/self/mounts && echo yes)");

        Assert.True(exit == 0, output);
        Assert.Contains("root=tmpfs etc=from the stick rom=from the RAM root proc=yes", output);
        Assert.Contains("/ is now the stick's own root filesystem; the RAM root is at /rom", output);
        Assert.Equal("written\n", File.ReadAllText(Path.Combine(stick, "etc/added")));
    }

    [RootFact]
    public void PivotRoot_StickWithoutInit_IsRefusedAndSaysWhatItNeeds()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        Stick(root, "mnt");

        var (exit, output) = PreinitChroot.Run(root, "pivot-root", "/mnt");

        Assert.Equal(1, exit);
        Assert.Contains("Error: /mnt has no /sbin/init, so it is not a root filesystem", output);
        Assert.Contains("or use target /overlay", output);
    }

    [RootFact]
    public void PivotOverlay_ChangesInRam_UsesTheSavedChangesAndLeavesTheStickUntouched()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        File.WriteAllText(Path.Combine(root, "etc/config"), "from the RAM root\n");
        var stick = Stick(root, "storage");
        Directory.CreateDirectory(Path.Combine(stick, "upper/etc"));
        File.WriteAllText(Path.Combine(stick, "upper/etc/config"), "saved on the stick\n");
        Libc.Mount(null, stick, null, Libc.MS_REMOUNT | Libc.MS_RDONLY, null); // as a write-protected stick is mounted

        var (exit, output) = PreinitChroot.Run(root, "pivot-overlay", "--changes-in-ram", "/storage", "/bin/busybox", "sh", "-c",
            $"echo new > /etc/added && echo config=$(/bin/busybox cat /etc/config) added=$(/bin/busybox cat /etc/added) root={RootFsType}");

        Assert.True(exit == 0, output);
        Assert.Contains("config=saved on the stick added=new root=overlay", output);
        Assert.Contains("/ is now the overlay: lower /storage/upper (read-only) over /rom (the RAM root), upper /tmp/root/upper (RAM)",
            output);
        Assert.Equal(["etc"], Directory.GetFileSystemEntries(Path.Combine(stick, "upper")).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(stick, "upper/etc/added")));
        Assert.False(Directory.Exists(Path.Combine(stick, "work")));
    }

    [RootFact]
    public void PivotRam_ChangesGoToATmpfsOfTheGivenSizeAndTheRamRootStaysUntouched()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        File.WriteAllText(Path.Combine(root, "etc/config"), "from the RAM root\n");
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        Libc.Mount("tmpfs", Path.Combine(root, "tmp"), "tmpfs", 0, null);

        var (exit, output) = PreinitChroot.Run(root, "pivot-ram", "--size", "8M", "/bin/busybox", "sh", "-c",
            "echo changed > /etc/config; /bin/busybox rm /preinit; echo root=" + RootFsType + " rom=$(/bin/busybox cat /rom/etc/config) " +
            "upper=$(/bin/busybox cat /tmp/root/upper/etc/config) size=$(/bin/busybox df -k /tmp/root | " +
            "/bin/busybox awk 'NR == 2 { print $2 }') preinit=$(/bin/busybox test -c /tmp/root/upper/preinit && echo whiteout)");

        Assert.True(exit == 0, output);
        Assert.Contains("/ is now the overlay: lower /rom (the RAM root), upper /tmp/root/upper (RAM, 8M)", output);
        Assert.Contains("root=overlay rom=from the RAM root upper=changed size=8192 preinit=whiteout", output);
        Assert.Equal("from the RAM root\n", File.ReadAllText(Path.Combine(root, "etc/config")));
        Assert.True(File.Exists(Path.Combine(root, "preinit")));
    }

    [RootFact]
    public void PivotRam_SizeThatIsNotOne_IsRefusedBeforeAnythingIsMounted()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);

        var (exit, output) = PreinitChroot.Run(root, "pivot-ram", "--size", "lots");

        Assert.Equal(1, exit);
        Assert.Contains("Error: --size lots is not a size of at least 1M or a share of RAM (1% to 100%); examples: 256M, 50%", output);
    }

    [RootFact]
    public void PivotOverlay_FullStick_IsRefusedInsteadOfAReadOnlyRoot()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root);
        var image = Tools.Image("preinit-full-stick", 16 << 20, "mkfs.ext4", "-q", "-F", "-m", "0", "-N", "64");
        var loop = Tools.Run("losetup", "--find", "--show", image).Trim();
        var stick = Path.Combine(root, "storage");
        Directory.CreateDirectory(stick);
        try
        {
            Libc.Mount(loop, stick, "ext4", 0, null);
            Directory.CreateDirectory(Path.Combine(stick, "upper/etc"));
            Directory.CreateDirectory(Path.Combine(stick, "work"));
            // Every inode used: overlayfs cannot make its work/work directory and would mount read-only.
            for (var i = 0; ; i++)
            {
                try { File.WriteAllText(Path.Combine(stick, $"fill{i}"), ""); }
                catch (IOException) { break; }
            }

            var (exit, output) = PreinitChroot.Run(root, "pivot-overlay", "/storage", "/bin/busybox", "true");

            Assert.Equal(1, exit);
            Assert.Contains("Error: overlayfs mounted the new root read-only: no room on the stick for its work directory /storage/work",
                output);
            Assert.False(MountPoint.Is(Path.Combine(root, "mnt")), "the read-only overlay must not be left mounted");
        }
        finally
        {
            if (MountPoint.Is(stick)) Libc.Umount2(stick, Libc.MNT_DETACH);
            Tools.Run("losetup", "--detach", loop);
            File.Delete(image);
        }
    }
}
