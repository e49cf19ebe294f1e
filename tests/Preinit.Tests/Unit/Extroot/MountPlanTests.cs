// What `preinit mount` mounts: configured sections other than the root's, found by uuid, label or
// name, on their target or /mnt/NAME; anon_mount; and a reason for every section that does not take effect.
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Probing;
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class MountPlanTests
{
    private static ProbedDevice Dev(string name, string? type, string? label = null, string? uuid = null, ExtBackup? damaged = null) =>
        new(new BlockDevice(name, 8, 0, 1L << 30, true, false, null, null, null), type, label, uuid, null, null, DamagedExt: damaged);

    private static readonly ProbedDevice[] Devices =
    [
        Dev("sda1", "ext4", "rootfs_data"), Dev("sda2", "ext4", "data", "1111-2222"), Dev("sdb1", "vfat", "PHOTOS", "ABCD-0001"),
        Dev("sdc", "swap", "swap1"),
            Dev("sdd", null, damaged: new ExtBackup(new ProbeResult("ext4", "broken", "u", "1.0", ProbeResult.Filesystem), 8193, 1024)),
        Dev("loop0", "ext2"),
    ];

    private static MountPlanResult Plan(string fstab, string[]? mounted = null, string[]? mountPoints = null) =>
        MountPlan.For(FstabReader.Read(UciParser.Parse(System.Text.Encoding.UTF8.GetBytes(fstab), "fstab", "fstab").Package, "fstab"),
            Devices, (mounted ?? []).ToHashSet(), t => (mountPoints ?? []).Contains(t), d => d.Device.Name == "loop0"
                ? "it is preinit's own RAM root image" : null);

    private const string Extroot = "config mount\n\toption target /storage\n\toption label rootfs_data\n" +
        "\toption is_rootfs 1\n\toption enabled_fsck 1\n";

    [Fact]
    public void Autofs_IsLeftToAutofs_AndNotMountedAsAnonymousEither()
    {
        // block.c mount_device, TYPE_DEV (block mount): a section with autofs 1 is not mounted, and its device is not anonymous.
        var plan = Plan("config global\n\toption anon_mount 1\nconfig mount\n\toption label data\n\toption autofs 1\n");
        Assert.DoesNotContain(plan.Mount, a => a.DevicePath == "/dev/sda2");
        Assert.Contains("data (fstab.@mount[0]) is /dev/sda2: autofs 1 leaves it to OpenWrt's autofs", Assert.Single(plan.Notes));
    }

    [Fact]
    public void Configured_ByLabelUuidAndDevice_OnTheirTargets_TheRootsEntryLeftToBoot()
    {
        var plan = Plan(Extroot +
            "config mount\n\toption label data\n\toption target /srv/data\n\toption options rw,noatime\n\toption enabled_fsck 1\n" +
            "config mount\n\toption uuid ABCD-0001\n" +
            "config mount\n\toption device /dev/sda2\n\toption target /x\n\toption enabled 0\n");
        Assert.Equal([("/dev/sda2", "/srv/data", "ext4", "rw,noatime", true), ("/dev/sdb1", "/mnt/sdb1", "vfat", (string?)null, false)],
            plan.Mount.Select(a => (a.DevicePath, a.Target, a.Type, a.Options, a.Check)));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void CheckFs_InGlobal_ChecksEveryMount()
    {
        var plan = Plan("config global\n\toption check_fs 1\nconfig mount\n\toption label data\n\toption target /srv\n");
        Assert.True(Assert.Single(plan.Mount).Check);
    }

    [Fact]
    public void Configured_MissingNotAFilesystemDamagedOrAlreadyMounted_SaysWhy()
    {
        var plan = Plan("config mount\n\toption label gone\n\toption target /a\n" +
            "config mount\n\toption label swap1\n\toption target /b\n" +
            "config mount\n\toption device /dev/sdd\n\toption target /c\n" +
            "config mount\n\toption label data\n\toption target /d\n" +
            "config mount\n\toption uuid ABCD-0001\n\toption target /busy\n",
            mounted: ["/dev/sda2"], mountPoints: ["/busy"]);
        Assert.Empty(plan.Mount);
        Assert.Contains(plan.Notes, n => n == "LABEL=gone (fstab.@mount[0]): no such device now; not mounted");
        Assert.Contains(plan.Notes, n => n.Contains("is /dev/sdc: it holds swap, which is not mounted"));
        Assert.Contains(plan.Notes, n => n.Contains("is /dev/sdd: its superblock is damaged (repair: e2fsck -p -b 8193 -B 1024 /dev/sdd)"));
        Assert.Contains(plan.Notes, n => n.Contains("is /dev/sda2: already mounted"));
        Assert.Contains(plan.Notes, n => n.Contains("is /dev/sdb1: something else is already mounted on /busy"));
    }

    [Fact]
    public void AnonMount_MountsEveryOtherFilesystem_ButNotSwapTheRootImageOrWhatIsMounted()
    {
        var plan = Plan("config global\n\toption anon_mount 1\n" + Extroot, mounted: ["/dev/sda1"]);
        Assert.Equal([("/dev/sda2", "/mnt/sda2"), ("/dev/sdb1", "/mnt/sdb1")], plan.Mount.Select(a => (a.DevicePath, a.Target)));
        Assert.All(plan.Mount, a => Assert.Equal("anon_mount 1", a.Why));
    }
}
