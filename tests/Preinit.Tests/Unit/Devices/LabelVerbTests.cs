// `preinit label` on image files: the filesystem's own tool sets the label, and a probe shows it.
using System.Diagnostics;
using Preinit.Boot.Devices;
using Preinit.Cli.Verbs;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

[Collection("Console")]
public class LabelVerbTests
{
    private static string Image(string mkfs, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"preinit-label-{Guid.NewGuid():N}.img");
        using (var f = File.Create(path)) f.SetLength(16 << 20);
        var p = Process.Start(new ProcessStartInfo(mkfs, [.. args, path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return path;
    }

    private static int Label(string path, string label)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        try { return VerbCommands.Run(["label", path, label]); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Theory]
    [InlineData("mkfs.ext4", "-q", "-F", "-L", "old")]
    [InlineData("mkfs.fat", "-n", "OLD")]
    public void Label_KnownFilesystem_UsesItsToolAndTheProbeSeesTheNewLabel(string mkfs, params string[] args)
    {
        if (Tier.Which(mkfs) is null) { Assert.False(Tier.RequireAll, $"{mkfs} missing (./publish.sh deps)"); return; }
        var image = Image(mkfs, args);
        try
        {
            var label = mkfs == "mkfs.fat" ? "ROOTFS_DATA" : "rootfs_data";
            Assert.Equal(0, Label(image, label));
            Assert.Equal(label, DeviceProber.ProbePath(image).Label);
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void Label_NoFilesystem_FailsAndSaysHowToMakeOne()
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, new byte[1 << 20]);
        try
        {
            var error = new StringWriter();
            var old = Console.Error;
            Console.SetError(error);
            try { Assert.Equal(1, VerbCommands.Run(["label", path, "rootfs_data"])); }
            finally { Console.SetError(old); }
            Assert.Contains("no filesystem found; make one with a label, e.g. mkfs.ext4 -L rootfs_data", error.ToString());
        }
        finally { File.Delete(path); }
    }
}
