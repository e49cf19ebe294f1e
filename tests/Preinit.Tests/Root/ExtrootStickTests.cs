// The extroot pieces that touch a real stick, on loop devices: fsck status 2 reboots once and the
// marker on the stick stops a second reboot; the swap fstab names is switched on with its priority.
using Preinit.Boot.Extroot;
using Preinit.Core.Hooks;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class ExtrootStickTests
{

    [RootFact]
    public void FsckRebootOnce_RebootsOnce_ThenGoesOnWithoutRebooting_AndACleanCheckClearsTheMarker()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        using var scratch = new Scratch();
        var log = new List<string>();
        var reboots = 0;
        var once = new FsckRebootOnce(log.Add, () => reboots++, scratch.Sub("staging"));

        once.RebootOrGoOn(stick.Device, "ext4");
        Assert.Equal(1, reboots);
        Assert.Contains(log, l => l.Contains("rebooting once, as fsck asked"));

        once.RebootOrGoOn(stick.Device, "ext4"); // the boot after the reboot, fsck saying 2 again
        Assert.Equal(1, reboots);
        Assert.Contains(log, l => l.Contains("fsck asked for a reboot again") && l.Contains("not rebooting again"));

        var mounted = scratch.Sub("stick");
        Libc.Mount(stick.Device, mounted, "ext4", 0, null);
        try
        {
            Assert.True(File.Exists(Path.Combine(mounted, FsckRebootOnce.MarkerName)));
            FsckRebootOnce.Clear(mounted, log.Add);
            Assert.False(File.Exists(Path.Combine(mounted, FsckRebootOnce.MarkerName)));
        }
        finally { Libc.Umount2(mounted, 0); }
    }

    [RootFact]
    public void FsckRebootOnce_StickThatCannotHoldTheMarker_DoesNotReboot()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F");
        using var scratch = new Scratch();
        var log = new List<string>();
        var reboots = 0;
        new FsckRebootOnce(log.Add, () => reboots++, scratch.Sub("staging")).RebootOrGoOn(stick.Device, "vfat");
        Assert.Equal(0, reboots);
        Assert.Contains(log, l => l.Contains("cannot keep a reboot marker on it") && l.Contains("not rebooting"));
    }

    [RootFact]
    public void SwapOnStep_SwapNamedByLabel_IsSwitchedOnWithItsPriority()
    {
        using var stick = new LoopStick("mkswap", "-L", "pi-test-swap");
        var fstab = Path.GetTempFileName();
        File.WriteAllText(fstab, "config swap\n\toption label pi-test-swap\n\toption priority 7\n");
        var notes = new StepNotes();
        try
        {
            new SwapOnStep(new BootFstab(fstab)).Run(notes);
            var line = File.ReadLines("/proc/swaps").FirstOrDefault(l => l.StartsWith(stick.Device + " "));
            Assert.True(line is not null, string.Join("\n", notes.Lines));
            Assert.Equal("7", line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[^1]);
            Assert.Contains(notes.Lines, l => l == $"swap on {stick.Device}, priority 7 (fstab.@swap[0]: LABEL=pi-test-swap)");

            new SwapOnStep(new BootFstab(fstab)).Run(notes);
            Assert.Contains(notes.Lines, l => l == $"swap {stick.Device} is already in use");
        }
        finally
        {
            if (SwapOnStep.ActiveSwaps().Contains(stick.Device)) Libc.Swapoff(stick.Device);
            File.Delete(fstab);
        }
    }

    [RootFact]
    public void SwapOnStep_SwapFileOnAMountedStick_IsSwitchedOnByItsPath_AfterTheDevices()
    {
        // block.c handle_swapfiles: a swap `device` outside /dev is a file, switched on once what holds it is mounted.
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F");
        using var scratch = new Scratch();
        var mounted = scratch.Sub("overlay");
        Libc.Mount(stick.Device, mounted, "ext4", 0, null);
        var swapfile = Path.Combine(mounted, "swapfile");
        var fstab = Path.GetTempFileName();
        var notes = new StepNotes();
        try
        {
            using (var f = File.Create(swapfile)) f.Write(new byte[8 << 20]); // written, not sparse: swap files must have no holes
            File.SetUnixFileMode(swapfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Tools.Run("mkswap", swapfile);
            File.WriteAllText(fstab, $"config swap\n\toption device {swapfile}\n\toption priority 3\n");

            new SwapOnStep(new BootFstab(fstab)).Run(notes);

            Assert.Contains(notes.Lines, l => l == $"swap on {swapfile}, priority 3 (fstab.@swap[0]: swap file)");
            Assert.Contains(File.ReadLines("/proc/swaps"), l => l.StartsWith(swapfile + " ", StringComparison.Ordinal));
        }
        finally
        {
            if (SwapOnStep.ActiveSwaps().Contains(swapfile)) Libc.Swapoff(swapfile);
            Libc.Umount2(mounted, 0);
            File.Delete(fstab);
        }
    }
}
