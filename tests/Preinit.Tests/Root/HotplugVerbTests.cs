// `preinit hotplug` as the Live CD runs it, on real loop devices: at start it mounts what the fstab
// names, as `preinit mount` does, then listens; a bad line in the fstab is a warning, not the end;
// SIGTERM ends it with a line and exit 0. (Devices added after the start are loop devices here,
// which the handler leaves alone: that path is the VM tier's, with QEMU's USB sticks.)
using Preinit.Boot.Platform;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class HotplugVerbTests
{
    [RootFact]
    public void Hotplug_MountsWhatTheFstabNamesAtStart_SurvivesABadLine_AndEndsOnSigterm()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var stick = new LoopStick("mkfs.ext4", "-q", "-F", "-L", $"data-{tag}");
        using var scratch = new Scratch();
        var data = Path.Combine(scratch.Path, "data");
        var fstab = Path.Combine(scratch.Path, "fstab");
        File.WriteAllText(fstab, $"config mount\n\toption label data-{tag}\n\toption target {data}\n\"unterminated\n" +
            "config global\n\toption auto_mount 1\n");
        using var handler = Tools.Start(Paths.PublishedBinary, ["hotplug", "--fstab", fstab, "--no-drivers"]);
        try
        {
            handler.WaitFor("hotplug: waiting for devices", TimeSpan.FromSeconds(60));
            Assert.Contains($"mounted {stick.Device} (ext4) on {data} (fstab.@mount[0]: LABEL=data-{tag})", handler.Output);
            Assert.Contains("Warning: ", handler.Output);
            Assert.Contains(MountTable.Read(), m => m.Source == stick.Device && m.Target == data);

            Libc.Kill(handler.Process.Id, Libc.SIGTERM);
            Assert.True(handler.WaitForExit(TimeSpan.FromSeconds(30)), $"still running after SIGTERM:\n{handler.Output}");
            Assert.Equal(0, handler.Process.ExitCode);
            Assert.Contains("hotplug: stopped (SIGTERM)", handler.Output);
        }
        finally
        {
            handler.Dispose();
            if (MountPoint.Is(data)) Libc.Umount2(data, 0);
        }
    }
}
