using Preinit.Core.Modules;
using Xunit;

namespace Preinit.Tests.Unit;

public class ModuleIndexTests
{
    // The shape of Debian 6.1's modules.* for the modules the root image needs.
    private const string UsbStorageDeps =
        "kernel/drivers/scsi/scsi_mod.ko kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko";
    private const string Dep = $"""
        kernel/drivers/block/loop.ko:
        kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko
        kernel/lib/crc16.ko:
        kernel/fs/mbcache.ko:
        kernel/fs/jbd2/jbd2.ko:
        kernel/crypto/crc32c_generic.ko:
        kernel/arch/x86/crypto/crc32c-intel.ko:
        kernel/drivers/usb/storage/usb-storage.ko: {UsbStorageDeps}
        kernel/drivers/scsi/scsi_mod.ko:
        kernel/drivers/usb/core/usbcore.ko: kernel/drivers/usb/common/usb-common.ko
        kernel/drivers/usb/common/usb-common.ko:
        """;
    private const string Softdep = "# Soft dependencies extracted from modules themselves.\nsoftdep ext4 pre: crc32c\n";
    private const string Alias = "alias fs-ext2 ext4\nalias crc32c crc32c_intel\nalias crc32c crc32c_generic\n" +
        "alias crypto-crc32c crc32c_generic\n";
    private const string Builtin = "kernel/fs/binfmt_script.ko\n";

    private static ModuleIndex Index() => ModuleIndex.Parse(Dep, Softdep, Alias, Builtin);

    [Fact]
    public void Resolve_Ext2Alias_LoadsExt4AfterItsDependenciesAndEveryProviderOfItsSoftDependency()
    {
        var order = Index().Resolve("fs-ext2");
        Assert.Equal(["crc32c_intel", "crc32c_generic", "crc16", "mbcache", "jbd2", "ext4"], order.Select(m => m.Name));
        Assert.True(order[0].Optional && order[1].Optional);
        Assert.False(order[2].Optional);
        Assert.Equal("kernel/fs/ext4/ext4.ko", order[^1].RelativePath);
    }

    [Fact]
    public void Resolve_DashOrUnderscore_FindsTheSameModuleAndEachDependencyOnce()
    {
        var order = Index().Resolve("usb-storage");
        Assert.Equal(["scsi_mod", "usb_common", "usbcore", "usb_storage"], order.Select(m => m.Name));
    }

    [Fact]
    public void Resolve_Builtin_NeedsNothing() => Assert.Empty(Index().Resolve("binfmt_script"));

    [Fact]
    public void Resolve_Unknown_SaysSo()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Index().Resolve("floppy"));
        Assert.Contains("'floppy'", e.Message);
    }

    [Fact]
    public void Resolve_SeveralSoftdepLinesForOneModule_OnlyTheFirstCounts_AsInModprobe()
    {
        var index = ModuleIndex.Parse("kernel/a.ko:\nkernel/b.ko:\nkernel/c.ko:\n", "softdep a pre: b\nsoftdep a pre: c\n");
        Assert.Equal(["b", "a"], index.Resolve("a").Select(m => m.Name));
    }
}
