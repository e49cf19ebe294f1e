// The Live CD's staging tree packed by our own newc writer (CpioArchiveBuilder) instead of GNU cpio,
// booted for real: the kernel unpacks it, preinit builds the root from it, the console works. A
// second archive from the writer, appended as the kernel allows, adds a file with two names and a
// symlink: in the booted root they are one inode with its content under both names, and a link.
using Preinit.Boot.Cpio;
using Preinit.Core.Cpio;
using Preinit.Core.Ext2;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class OwnCpioInitramfsTests
{

    [VmFact]
    public void StagingTreePackedByTheWriter_BootsToTheConsoleWithLinksIntact()
    {
        Assert.True(Directory.Exists(Paths.InitramfsTree), $"{Paths.InitramfsTree} missing (run ./publish.sh build)");
        var archive = Path.Combine(Path.GetTempPath(), $"preinit-own-initramfs-{Guid.NewGuid():N}.cpio.gz");
        try
        {
            CpioArchiveBuilder.Write(Paths.InitramfsTree, archive, new CpioWriteOptions { RootOwned = true });
            var linked = new TreeBuilder().Dir("cpio-check")
                .File("cpio-check/first", "one-inode"u8.ToArray()).HardLink("cpio-check/second", "cpio-check/first")
                .Symlink("cpio-check/link", "second");
            using (var output = new FileStream(archive, FileMode.Append)) CpioWriter.WriteGzip(new Ext2EntryList(linked.Entries), output);

            using var vm = QemuMachine.BootKernel(archive, "preinit.wait=2");
            var status = vm.WaitFor(InitStarted, BootTimeout);
            Assert.Contains("root=overlay on overlay rom=ext2 on /dev/loop0", status);
            Assert.DoesNotContain("Initramfs unpacking failed", vm.Console);
            vm.OpenShell(BootTimeout);
            Assert.Equal(0, vm.Run("cd /cpio-check && v=$(/sbin/preinit version) && echo names=$(stat -c %h first) second=$(cat second)"
                + " first=$(cat first) link=$(readlink link) same=$([ $(stat -c %i first) = $(stat -c %i second) " +
                    "] && echo yes) version=${v%% *}",
                CommandTimeout));
            vm.AssertShown("names=2 second=one-inode first=one-inode link=second same=yes version=preinit");
        }
        finally { File.Delete(archive); }
    }
}
