// Which archives restore_config unpacks: a sysupgrade.tgz at the top of the stick only when changes
// are being saved on that stick, so one is never unpacked into RAM and then deleted from the stick.
using Preinit.Boot.Extroot;
using Preinit.Boot.Restore;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Xunit;

namespace Preinit.Tests.Unit.Restore;

public class RestoreConfigCandidatesTests
{
    private static ExtrootState Stick(ExtrootKind kind = ExtrootKind.Overlay, string? readOnlyBecause = null, StickUse use = StickUse.Root)
    {
        var state = new ExtrootState();
        state.Mount(new MountedStick("/dev/sda", new DeviceSpec(SpecKind.Label, "rootfs_data"), null, "ext4", "/storage", kind,
            readOnlyBecause));
        state.Used(use);
        return state;
    }

    [Fact]
    public void Candidates_OverlayStickSavingChanges_IncludesTheStickArchive() =>
        Assert.Equal(["/sysupgrade.tgz", "/storage/sysupgrade.tgz"], new RestoreConfigStep(Stick()).Candidates());

    [Fact]
    public void Candidates_NoStick_OnlyTheRootArchive() =>
        Assert.Equal(["/sysupgrade.tgz"], new RestoreConfigStep(new ExtrootState()).Candidates());

    [Fact]
    public void Candidates_ReadOnlyStick_OrChangesInRam_OrWholeRoot_NeverTheStickArchive()
    {
        var readOnly = Stick(readOnlyBecause: "write-protected");
        var inRam = Stick(use: StickUse.SavedChangesInRam);

        foreach (var state in new[] { readOnly, inRam, Stick(ExtrootKind.Root) })
            Assert.Equal(["/sysupgrade.tgz"], new RestoreConfigStep(state).Candidates());
    }
}
