// The boots a stick keeps in .preinit/boots: names in order, the newest ten kept with the oldest
// removed first, a record replaced whole, and where boot saves them (or why not).
using Preinit.Boot.Extroot;
using Preinit.Boot.Logging;
using Preinit.Core.BootLogs;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Xunit;

namespace Preinit.Tests.Unit.BootLogs;

public sealed class BootRecordTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-boots.").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Log(string text)
    {
        var path = Path.Combine(_dir, "preinit.log");
        File.WriteAllText(path, text);
        return path;
    }

    private static readonly DateTime When = new(2026, 12, 7, 5, 23, 24, DateTimeKind.Utc);

    [Fact]
    public void Name_FormatsNumberAndDate_AndReadsBack()
    {
        var name = BootRecordName.Format(7, When);
        Assert.Equal("0007-20261207-052324.log", name);
        Assert.True(BootRecordName.TryParse(name, out var parsed));
        Assert.Equal(7, parsed.Number);
        Assert.Equal(When, parsed.Utc);
        Assert.True(BootRecordName.TryParse("12345-20261207-052324.log", out var big));
        Assert.Equal(12345, big.Number);
    }

    [Theory]
    [InlineData(".saving.tmp")]
    [InlineData("notes.txt")]
    [InlineData("0001-20261207-052324.log.tmp")]
    [InlineData("-20261207-052324.log")]
    [InlineData("x001-20261207-052324.log")]
    [InlineData("+001-20261207-052324.log")]
    [InlineData("0001-20261399-052324.log")]
    [InlineData("0001.log")]
    [InlineData("0001-20260230-052324.log")]
    [InlineData("0001-20261207-252324.log")]
    [InlineData("0001-20261207_052324.log")]
    [InlineData("0001-2026120-0523240.log")]
    public void Name_OtherFiles_AreNotRecords(string fileName) => Assert.False(BootRecordName.TryParse(fileName, out _));

    [Fact]
    public void Order_IsByNumber_NotByDateOrName()
    {
        // A clock reset to 1970 and a number past 9999 keep their places.
        string[] names = ["9999-20261207-052324.log", "10000-19700101-000012.log", "0998-20270101-000000.log", "notes.txt"];
        Assert.Equal([10000, 9999, 998], BootRecordName.NewestFirst(names).Select(r => r.Number));
        Assert.Equal(10001, BootRecordName.Next(names));
        Assert.Equal(1, BootRecordName.Next(["notes.txt"]));
    }

    [Fact]
    public void Write_KeepsTheNewestTen_RemovingTheOldestFirst_AndLeavesOtherFilesAlone()
    {
        var boots = Path.Combine(_dir, "stick", BootRecordName.Directory);
        Directory.CreateDirectory(boots);
        File.WriteAllText(Path.Combine(boots, "notes.txt"), "mine\n");
        var removed = new List<string>();
        for (var boot = 1; boot <= 13; boot++)
        {
            var name = BootRecordName.Format(BootRecordName.Next(BootRecordStore.Names(boots)), When.AddMinutes(boot));
            removed.AddRange(BootRecordStore.Write(boots, name, Log($"boot {boot}\n")));
        }
        var kept = BootRecordStore.List(boots);
        Assert.Equal(BootRecordName.Keep, kept.Count);
        Assert.Equal(Enumerable.Range(4, 10).Reverse().Select(n => (long)n), kept.Select(r => r.Number));
        Assert.Equal(["0001-20261207-052424.log", "0002-20261207-052524.log", "0003-20261207-052624.log"], removed);
        Assert.Equal("boot 13\n", File.ReadAllText(Path.Combine(boots, kept[0].FileName)));
        Assert.True(File.Exists(Path.Combine(boots, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(boots, ".saving.tmp")));
    }

    [Fact]
    public void Write_SameNameAgain_ReplacesTheRecordWhole()
    {
        var name = BootRecordName.Format(1, When);
        BootRecordStore.Write(_dir, name, Log("before init, a long first version\n"));
        BootRecordStore.Write(_dir, name, Log("rescue\n"));
        Assert.Equal("rescue\n", File.ReadAllText(Path.Combine(_dir, name)));
        Assert.Single(BootRecordStore.List(_dir));
    }

    [Fact]
    public void Write_UnreadableSource_LeavesNoTemporaryFile()
    {
        Assert.ThrowsAny<IOException>(() => BootRecordStore.Write(_dir, BootRecordName.Format(1, When), Path.Combine(_dir, "missing.log")));
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }

    public static TheoryData<string, bool, bool, bool, ExtrootKind, string> Places => new()
    {
        // device, pivoted, changes in RAM, read-only, kind: the directory, or why not
        { "", false, false, false, ExtrootKind.Overlay, "no stick is in use" },
        { "/dev/sda", false, false, false, ExtrootKind.Overlay, "/dev/sda is not in use" },
        { "/dev/sda", true, true, true, ExtrootKind.Overlay, "/dev/sda takes no changes this boot" },
        { "/dev/sda", true, true, false, ExtrootKind.Overlay, "/dev/sda takes no changes this boot" },
        { "/dev/sda", true, false, false, ExtrootKind.Overlay, "/storage/.preinit/boots" },
        { "/dev/sda", true, false, false, ExtrootKind.Root, "/.preinit/boots" },
    };

    [Theory]
    [MemberData(nameof(Places))]
    public void Place_IsTheTopOfTheStick_OnlyWhenItTakesChanges(string device, bool pivoted, bool changesInRam, bool readOnly,
        ExtrootKind kind, string expected)
    {
        var state = new ExtrootState();
        if (device.Length > 0)
            state.Mount(new MountedStick(device, new DeviceSpec(SpecKind.Label, "rootfs_data"), null, "ext4", kind == ExtrootKind.Root
                ? "/mnt" : "/storage",
                kind, readOnly ? "write-protected" : null));
        if (pivoted) state.Used(changesInRam ? StickUse.SavedChangesInRam : StickUse.Root);
        var place = BootRecord.Place(state, out var whyNot);
        Assert.Equal(expected, place ?? whyNot);
    }
}
