// `preinit log --from DEVICE`: a stick that is not mounted is mounted read-only for as long as its
// records are read, then unmounted; a clean filesystem is not changed by it.
using System.Security.Cryptography;
using Preinit.Boot.Platform;
using Preinit.Core.BootLogs;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.BootLogs;
using Xunit;

namespace Preinit.Tests.Root;

public sealed class BootLogFromStickTests : IDisposable
{
    private const string Label = "bootlog_test";
    private readonly string _tree = Directory.CreateTempSubdirectory("preinit-bootlog-tree.").FullName;

    public void Dispose() => Directory.Delete(_tree, true);

    private LoopStick StickWithTwoBoots()
    {
        var boots = Path.Combine(_tree, BootRecordName.Directory);
        Directory.CreateDirectory(boots);
        File.WriteAllText(Path.Combine(boots, "0001-20261201-080000.log"), "[   2.000] the first boot (5 ms)\n");
        File.WriteAllText(Path.Combine(boots, "0002-20261202-080000.log"), SampleBootLog.Text + "\n");
        Directory.CreateDirectory(Path.Combine(_tree, "upper"));
        return new LoopStick("mkfs.ext4", "-q", "-F", "-L", Label, "-d", _tree);
    }

    [RootFact]
    public void FromLoopDevice_ListsItsBoots_AndLeavesItUnmountedAndUnchanged()
    {
        using var stick = StickWithTwoBoots();
        var before = SHA256.HashData(File.ReadAllBytes(stick.Image));

        var (code, output, error) = Verbs.Run("log", "--from", stick.Device, "--list");

        Assert.True(code == 0, error);
        Assert.Contains("0002-20261202-080000.log  init (/sbin/init)", output);
        Assert.Contains("0001-20261201-080000.log  (not known: the log ends before the hand-over)", output);
        Assert.DoesNotContain(MountTable.Read(), m => m.Source == stick.Device);
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), "preinit-log.*"));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(stick.Image)));
    }

    [RootFact]
    public void FromLabel_FindsTheDevice_AndReadsTheBootAsked()
    {
        using var stick = StickWithTwoBoots();
        var (code, output, error) = Verbs.Run("log", "--from", $"LABEL={Label}", "--boot", "1");
        Assert.True(code == 0, error);
        Assert.Equal("[   2.000] the first boot (5 ms)\n", output);
        Assert.DoesNotContain(MountTable.Read(), m => m.Source == stick.Device);
    }

    [RootFact]
    public void FromLabelNoDeviceHas_SaysSo()
    {
        Tier.Require(Tier.RootMissing());
        var (code, _, error) = Verbs.Run("log", "--from", "LABEL=no_such_label_here");
        Assert.Equal(1, code);
        Assert.Equal("Error: --from LABEL=no_such_label_here: no device is LABEL=no_such_label_here now " +
            "(preinit find LABEL=no_such_label_here lists what there is)\n", error);
    }
}
