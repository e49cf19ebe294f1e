// `preinit hotplug` as the Live CD runs it, on real loop devices: at start it mounts what the fstab
// names, as `preinit mount` does, then listens; a bad line in the fstab is a warning, not the end;
// SIGTERM ends it with a line and exit 0. (Devices added after the start are loop devices here,
// which the handler leaves alone: that path is the VM tier's, with QEMU's USB sticks.)
using System.Diagnostics;
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
        File.WriteAllText(fstab, $"config mount\n\toption label data-{tag}\n\toption target {data}\n\"unterminated\nconfig global\n\toption auto_mount 1\n");
        var output = new System.Text.StringBuilder();
        using var handler = Process.Start(new ProcessStartInfo(Paths.PublishedBinary, ["hotplug", "--fstab", fstab, "--no-drivers"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        handler.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        handler.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        handler.BeginOutputReadLine();
        handler.BeginErrorReadLine();
        string Output() { lock (output) return output.ToString(); }
        try
        {
            var clock = Stopwatch.StartNew();
            while (!Output().Contains("hotplug: waiting for devices") && !handler.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
                Thread.Sleep(100);
            Assert.Contains($"mounted {stick.Device} (ext4) on {data} (fstab.@mount[0]: LABEL=data-{tag})", Output());
            Assert.Contains("Warning: ", Output());
            Assert.Contains(MountTable.Read(), m => m.Source == stick.Device && m.Target == data);

            Libc.Kill(handler.Id, Libc.SIGTERM);
            Assert.True(handler.WaitForExit(TimeSpan.FromSeconds(30)), $"still running after SIGTERM:\n{Output()}");
            handler.WaitForExit();
            Assert.Equal(0, handler.ExitCode);
            Assert.Contains("hotplug: stopped (SIGTERM)", Output());
        }
        finally
        {
            if (!handler.HasExited) handler.Kill();
            if (MountPoint.Is(data)) Libc.Umount2(data, 0);
        }
    }
}
