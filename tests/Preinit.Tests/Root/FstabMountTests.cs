// `preinit mount` (OpenWrt's block mount) on real loop devices: the fstab's sections other than the
// root's are mounted on their targets, checked first when asked; what cannot be mounted says why.
using Preinit.Boot.Platform;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class FstabMountTests
{
    [RootFact]
    public void Mount_MountsTheConfiguredFilesystems_AndSaysWhyNotForTheRest()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var ext4 = new LoopStick("mkfs.ext4", "-q", "-F", "-L", $"data-{tag}");
        using var ext2 = new LoopStick("mkfs.ext2", "-q", "-F", "-L", $"photos-{tag}"); // this kernel may lack vfat
        using var scratch = new Scratch();
        var data = scratch.Sub("srv/data");
        var photos = Path.Combine(scratch.Path, "photos"); // made by preinit
        var fstab = Path.Combine(scratch.Path, "fstab");
        File.WriteAllText(fstab,
            $"config mount\n\toption target /storage\n\toption label rootfs_data-{tag}\n\toption is_rootfs 1\n" +
            $"config mount\n\toption label data-{tag}\n\toption target {data}\n\toption options rw,noatime\n\toption enabled_fsck 1\n" +
            $"config mount\n\toption label photos-{tag}\n\toption target {photos}\n" +
            $"config mount\n\toption label gone-{tag}\n\toption target {scratch.Path}/gone\n");
        try
        {
            var dry = Tools.Run(Paths.PublishedBinary, "mount", "--fstab", fstab, "--dry-run");
            Assert.Contains($"would mount {ext4.Device} (ext4) on {data} with rw,noatime, checked first", dry);
            Assert.False(MountPoint.Is(data));

            var output = Tools.Run(Paths.PublishedBinary, "mount", "--fstab", fstab);

            Assert.Contains($"e2fsck {ext4.Device}: exit 0", output);
            Assert.Contains($"mounted {ext4.Device} (ext4) on {data} (fstab.@mount[1]: LABEL=data-{tag})", output);
            Assert.Contains($"mounted {ext2.Device} (ext2) on {photos}", output);
            Assert.Contains($"LABEL=gone-{tag} (fstab.@mount[3]): no such device now; not mounted", output);
            Assert.DoesNotContain("rootfs_data", output);
            var mounts = MountTable.Read();
            Assert.Contains(mounts, m => m.Source == ext4.Device && m.Target == data && m.Options.Contains("noatime"));
            Assert.Contains(mounts, m => m.Source == ext2.Device && m.Target == photos);

            var again = Tools.Run(Paths.PublishedBinary, "mount", "--fstab", fstab);
            Assert.Contains($"is {ext4.Device}: already mounted", again);
        }
        finally
        {
            foreach (var target in new[] { data, photos })
                if (MountPoint.Is(target)) Libc.Umount2(target, 0);
        }
    }
}
