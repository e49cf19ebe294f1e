// The preinit_mount_extroot hook as boot runs it (find the stick, mount it, pivot onto it), in a
// chroot of the published binary with a loop device as the stick. These are the stick-made
// failures that must neither boot silently without the saved configuration nor leave the stick
// mounted read-write: whatever fails, the console says NO PERSISTENT STORAGE or the root really
// is the stick's overlay.
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class ExtrootHookTests
{
    /// <summary>Runs the hook with the stick named by its device, then shows what became of the root, the notice and the stick.</summary>
    private static (int ExitCode, string Output) RunHook(string root, string device, string settings = "", string? spec = null) =>
        PreinitChroot.RunShell(root,
            $"/preinit run-hook preinit_mount_extroot --hook-dir /hooks --cmdline 'preinit.extroot={spec ?? device} " +
            $"preinit.wait=2 {settings}' 2>&1; echo root=$(/bin/busybox awk '$2 == \"/\" {{ t = $3 }} END {{ print t }}' /proc/mounts); " +
            "echo notice=$(/bin/busybox cat /tmp/.preinit-persistence /rom/tmp/.preinit-persistence 2>/dev/null); " +
            $"/bin/busybox awk '$1 == \"{device}\" {{ print \"stick=\" $2 \" \" substr($4, 1, 2) }}' /proc/mounts");

    private static string ChrootWithTmp(Scratch scratch)
    {
        var root = scratch.Path;
        PreinitChroot.Make(root);
        foreach (var dir in new[] { "sys", "tmp", "hooks" }) Directory.CreateDirectory(Path.Combine(root, dir));
        Libc.Mount("sysfs", Path.Combine(root, "sys"), "sysfs", 0, null);
        Libc.Mount("tmpfs", Path.Combine(root, "tmp"), "tmpfs", 0, null);
        File.WriteAllText(Path.Combine(root, "etc/os-release"), "ID=preinit-test\nBUILD_ID=1\n");
        return root;
    }

    /// <summary>Writes onto the stick's filesystem, then unmounts it again.</summary>
    private static void OnStick(LoopStick stick, Scratch scratch, Action<string> write)
    {
        var mounted = scratch.Sub("stick-setup");
        Libc.Mount(stick.Device, mounted, "ext4", 0, null);
        try { write(mounted); }
        finally { Libc.Umount2(mounted, 0); }
    }

    [RootFact]
    public void VfatStick_IsRefusedBeforeItIsMounted_WithTheCommandThatMakesItOneThatCan()
    {
        // As block.c mount_extroot: only ext*, f2fs, btrfs, ntfs and ubifs can hold the root's changes.
        using var stick = new LoopStick("mkfs.vfat", "-n", "ROOTFS_DATA");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);

        var (_, output) = RunHook(root, stick.Device);

        Assert.Contains($"NO PERSISTENT STORAGE: {stick.Device} holds vfat, which cannot hold the root's changes", output);
        Assert.Contains($"mkfs.ext4 -L rootfs_data {stick.Device}", output);
        Assert.DoesNotContain("mounted " + stick.Device, output);
        Assert.DoesNotContain("stick=", output);
    }

    [RootFact]
    public void CleanStick_BecomesTheOverlayRoot()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);

        var (_, output) = RunHook(root, stick.Device);

        Assert.Contains("root=overlay", output);
        Assert.Contains($"changes are saved on {stick.Device}", output);
        Assert.Contains("notice=\n", output);
        Assert.Contains("stick=/overlay rw", output);
        OnStick(stick, scratch, mounted => Assert.Contains($"uuid={Uuid(stick)}\n",
            File.ReadAllText(Path.Combine(mounted, "upper/etc/.extroot-id"))));
    }

    [RootFact]
    public void StickOfAnOpenWrtSystem_IsRecognisedByItsExtrootUuid_AndLeftUntouchedUntilForced()
    {
        // block.c pairs an extroot layer with its root by etc/.extroot-uuid; such a layer belongs to that OpenWrt system.
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);
        OnStick(stick, scratch, mounted =>
        {
            Directory.CreateDirectory(Path.Combine(mounted, "upper/etc"));
            File.WriteAllText(Path.Combine(mounted, "upper/etc/.extroot-uuid"), "5a3b2c1d-0000-4000-8000-1234567890ab\n");
        });

        var (_, refused) = RunHook(root, stick.Device);

        Assert.Contains("its overlay was written by 'OpenWrt (the extroot of its root 5a3b2c1d-0000-4000-8000-1234567890ab, " +
            "etc/.extroot-uuid)'", refused);
        Assert.Contains($"NO PERSISTENT STORAGE: {stick.Device} is paired with another system", refused);
        Assert.DoesNotContain("stick=", refused);

        var (_, forced) = RunHook(root, stick.Device, "preinit.extroot.force=1");

        Assert.Contains("root=overlay", forced);
        OnStick(stick, scratch, mounted => Assert.Contains("system=preinit-test",
            File.ReadAllText(Path.Combine(mounted, "upper/etc/.extroot-id"))));
    }

    private static string Uuid(LoopStick stick) => Tools.Run("blkid", "-p", "-s", "UUID", "-o", "value", stick.Device).Trim();

    [RootFact]
    public void TwoSticksWithTheLabel_ThePairedOneWins_OverAnEarlierBlankOne()
    {
        using var first = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "pi-pair-test");
        using var second = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "pi-pair-test");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);
        // The one a choice by name would take stays blank; the other is paired with the chroot's system.
        var (blank, paired) = string.CompareOrdinal(Path.GetFileName(first.Device), Path.GetFileName(second.Device)) < 0 ? (first, second)
            : (second, first);
        OnStick(paired, scratch, mounted =>
        {
            Directory.CreateDirectory(Path.Combine(mounted, "upper/etc"));
            File.WriteAllText(Path.Combine(mounted, "upper/etc/.extroot-id"), $"system=preinit-test\nbuild=1\nuuid={Uuid(paired)}\n");
            File.WriteAllText(Path.Combine(mounted, "upper/etc/saved"), "the configuration\n");
        });

        var (_, output) = RunHook(root, paired.Device, spec: "LABEL=pi-pair-test");

        Assert.Contains($"{paired.Device}: paired with this system", output);
        Assert.Contains($"{blank.Device}: not paired with any system", output);
        Assert.Contains($"using {paired.Device} (paired with this system", output);
        Assert.Contains("root=overlay", output);
        Assert.Contains("stick=/overlay rw", output);
    }

    [RootFact]
    public void MarkerThatCannotBeDeleted_SaysNoPersistentStorage_AndUnmountsTheStick()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);
        OnStick(stick, scratch, mounted =>
        {
            var marker = Path.Combine(mounted, ".preinit-fsck-reboot");
            File.WriteAllText(marker, "rebooted\n");
            Tools.Run("chattr", "+i", marker);
        });
        try
        {
            var (_, output) = RunHook(root, stick.Device, "preinit.fsck=force");

            Assert.Contains($"NO PERSISTENT STORAGE: {stick.Device} was mounted on /overlay, but", output);
            Assert.Contains("it is unmounted from /overlay", output);
            Assert.Contains("root=tmpfs", output);
            Assert.Contains("notice=NO PERSISTENT STORAGE", output);
            Assert.DoesNotContain("stick=", output);
        }
        finally { OnStick(stick, scratch, mounted => Tools.Run("chattr", "-i", Path.Combine(mounted, ".preinit-fsck-reboot"))); }
    }

    [RootTheory]
    [InlineData("a dangling symlink")]
    [InlineData("a file")]
    public void UpperTmpThatIsNoDirectory_IsFoundBeforeThePivot_AndSaysHowToRemoveIt(string what)
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);
        OnStick(stick, scratch, mounted =>
        {
            Directory.CreateDirectory(Path.Combine(mounted, "upper/etc"));
            File.WriteAllText(Path.Combine(mounted, "upper/etc/saved"), "configuration\n");
            if (what == "a file") File.WriteAllText(Path.Combine(mounted, "upper/tmp"), "");
            else File.CreateSymbolicLink(Path.Combine(mounted, "upper/tmp"), "/nowhere");
        });

        var (_, output) = RunHook(root, stick.Device);

        var kind = what == "a file" ? "a regular file" : "a symbolic link";
        Assert.Contains($"NO PERSISTENT STORAGE: the overlay root on {stick.Device} failed: the stick has {kind} at /overlay/upper/tmp, " +
            "where the overlay needs a directory for /tmp", output);
        Assert.Contains($"mount {stick.Device} /mnt && rm /mnt/upper/tmp && umount /mnt", output);
        Assert.Contains("root=tmpfs", output);
        Assert.Contains("notice=NO PERSISTENT STORAGE", output);
        Assert.DoesNotContain("stick=", output);
    }

    [RootFact]
    public void UpperThatIsASymlink_IsNotFollowed()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var root = ChrootWithTmp(scratch);
        OnStick(stick, scratch, mounted => File.CreateSymbolicLink(Path.Combine(mounted, "upper"), "/"));

        var (_, output) = RunHook(root, stick.Device);

        Assert.Contains("NO PERSISTENT STORAGE", output);
        Assert.Contains("/overlay/upper is a symbolic link, not a directory", output);
        Assert.Contains("root=tmpfs", output);
        Assert.DoesNotContain("stick=", output);
    }
}
