// The root's layers as the mount table gives them: a RAM-only session, a stick's saved changes used
// read-only with new changes in RAM, changes saved on the stick, and a root that is no overlay.
using Preinit.Boot.Extroot;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class RootOverlayTests
{
    private static RootOverlay? Root(string rootLine)
    {
        var mounts = Path.GetTempFileName();
        try
        {
            File.WriteAllText(mounts, $"/dev/loop0 /rom ext2 rw,relatime 0 0\n{rootLine}\nproc /proc proc rw 0 0\n");
            return RootOverlay.Current(mounts);
        }
        finally { File.Delete(mounts); }
    }

    [Fact]
    public void RamOnlySession_HasItsChangesInRamOverTheRamRootAlone()
    {
        var root = Root("overlay / overlay rw,noatime,lowerdir=/,upperdir=/tmp/root/upper,workdir=/tmp/root/work 0 0")!;
        Assert.Equal(["/"], root.Lower);
        Assert.Equal(("/tmp/root/upper", "/tmp/root/work"), (root.Upper, root.Work));
        Assert.True(root.RamOnly);
    }

    [Fact]
    public void SavedChangesReadOnly_AreChangesInRamButNotRamOnly()
    {
        var root = Root("overlay / overlay rw,lowerdir=/overlay/upper:/,upperdir=/tmp/root/upper,workdir=/tmp/root/work 0 0")!;
        Assert.Equal(["/overlay/upper", "/"], root.Lower);
        Assert.True(root.ChangesInRam);
        Assert.False(root.RamOnly);
    }

    [Fact]
    public void ChangesOnTheStick_AreNotInRam()
    {
        var root = Root("overlay / overlay rw,lowerdir=/,upperdir=/overlay/upper,workdir=/overlay/work 0 0")!;
        Assert.False(root.ChangesInRam);
    }

    [Fact]
    public void TheLastMountOnRootCounts_AndANonOverlayRootIsNone()
    {
        Assert.Null(Root("/dev/sda1 / ext4 rw 0 0"));
        Assert.Null(Root("overlay / overlay ro,lowerdir=/a:/b 0 0"));
    }
}
