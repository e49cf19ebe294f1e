// /dev without devtmpfs: a tmpfs filled from /sys/dev must hold the node devtmpfs holds for every
// device of this machine: the same name, type and number, and the mode the driver asks for.
using Preinit.Boot.Devices;
using Preinit.Core.Devices;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class DeviceNodesTests
{
    [RootFact]
    public void Populate_MakesEveryNodeDevtmpfsHas_FromSysDev()
    {
        using var scratch = new Scratch();
        var dev = scratch.Sub("dev");
        var devtmpfs = scratch.Sub("devtmpfs");
        Libc.Mount("devtmpfs", devtmpfs, "devtmpfs", Libc.MS_NOSUID, null);
        try
        {
            var made = DeviceNodes.Populate(dev);

            var compared = 0;
            foreach (var (kind, block) in new[] { ("block", true), ("char", false) })
                foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine("/sys/dev", kind)))
                {
                    if (DeviceNode.From(DeviceNode.ParseUeventFile(File.ReadAllText(Path.Combine(entry, "uevent"))), block) is not { } node)
                        continue;
                    var ours = Libc.Lstat(Path.Combine(dev, node.Name));
                    var kernels = Libc.Lstat(Path.Combine(devtmpfs, node.Name));
                    Assert.Equal((kernels.FileType, kernels.stx_rdev_major, kernels.stx_rdev_minor),
                        (ours.FileType, ours.stx_rdev_major, ours.stx_rdev_minor));
                    Assert.Equal(node.Mode, (uint)(ours.stx_mode & 0b111_111_111));
                    compared++;
                }
            Assert.Equal(compared, made);
            Assert.True(made > 10, $"only {made} nodes");
            Assert.Equal(0b110_110_110u, (uint)(Libc.Lstat(Path.Combine(dev, "null")).stx_mode & 0b111_111_111));
            Assert.Equal(0, DeviceNodes.Populate(dev)); // what is there is left alone
        }
        finally { Libc.Umount2(devtmpfs, Libc.MNT_DETACH); }
    }
}
