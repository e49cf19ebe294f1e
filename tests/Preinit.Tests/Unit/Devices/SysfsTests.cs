using Preinit.Core.Devices;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class SysfsTests
{
    [Fact]
    public void Enumerate_FakeSysfs_GivesDisksPartitionsAndLoopsWithTheirAttributes()
    {
        var sys = Directory.CreateTempSubdirectory("preinit-sysfs.").FullName;
        try
        {
            void Attr(string dir, string name, string value)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, name))!);
                File.WriteAllText(Path.Combine(dir, name), value + "\n");
            }
            var disk = Path.Combine(sys, "devices/pci0000:00/usb2/host2/block/sdb");
            Attr(disk, "dev", "8:16"); Attr(disk, "size", "15728640"); Attr(disk, "removable", "1"); Attr(disk, "ro", "0");
            var part = Path.Combine(disk, "sdb1");
            Attr(part, "dev", "8:17"); Attr(part, "size", "15726592"); Attr(part, "partition", "1"); Attr(part, "ro", "0");
            var loop = Path.Combine(sys, "devices/virtual/block/loop0");
            Attr(loop, "dev", "7:0"); Attr(loop, "size", "36340"); Attr(loop, "removable", "0"); Attr(loop, "loop/backing_file",
                "/.preinit-root.img (deleted)");
            var empty = Path.Combine(sys, "devices/virtual/block/loop1");
            Attr(empty, "dev", "7:1"); Attr(empty, "size", "0");
            Directory.CreateDirectory(Path.Combine(sys, "class/block"));
            foreach (var d in new[] { disk, part, loop, empty })
                File.CreateSymbolicLink(Path.Combine(sys, "class/block", Path.GetFileName(d)),
                    Path.GetRelativePath(Path.Combine(sys, "class/block"), d));

            var devices = SysfsBlockDevices.Enumerate(sys);

            Assert.Equal(["loop0", "sdb", "sdb1"], devices.Select(d => d.Name));
            var sdb1 = devices.Single(d => d.Name == "sdb1");
            Assert.Equal(("sdb", 1, true, 15726592L * 512), (sdb1.Parent, sdb1.PartitionNumber, sdb1.Removable, sdb1.SizeBytes));
            Assert.Equal((8u, 17u), (sdb1.Major, sdb1.Minor));
            Assert.Equal("/.preinit-root.img (deleted)", devices[0].LoopBackingFile);
            Assert.Null(devices.Single(d => d.Name == "sdb").Parent);
        }
        finally { Directory.Delete(sys, true); }
    }
}
