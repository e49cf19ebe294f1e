// The decision of `preinit stick` on sizes and layouts made up for each rule: where rootfs_data goes,
// what is kept, and every refusal, all before a byte would be written.
using Preinit.Core.Probing;
using Preinit.Core.Stick;
using Xunit;

namespace Preinit.Tests.Unit.Stick;

public class StickPlanTests
{
    private const long MiB = 1L << 20, GiB = 1L << 30;

    /// <summary>A hybrid Live image as xorriso lays it out: the ISO over the
    /// whole image (slot 1), the EFI image inside it (slot 2).</summary>
    private static DiskContents Image(long bytes) => new(bytes, Mbr(), [
        new DiskPartition(1, 0x00, 0, bytes, "iso9660", "PREINIT_LIVE"),
        new DiskPartition(2, 0xEF, 68 * 1024, 4 * MiB, "vfat", null),
    ], bytes);

    private static byte[] Mbr()
    {
        var sector = new byte[512];
        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    private static DiskContents EmptyStick(long bytes) => new(bytes, null, [], null);

    private static DiskContents StickWithData(long bytes, long imageBytes, long dataStart, long dataSize, int slot = 3) =>
        new(bytes, Mbr(), [.. Image(imageBytes).Partitions, new DiskPartition(slot, 0x83, dataStart, dataSize, "ext4", "rootfs_data")],
            imageBytes);

    [Theory]
    [InlineData(30, 512)]      // a small image: 512 MiB of room
    [InlineData(300, 600)]     // a larger one: twice its size
    [InlineData(300.4, 601)]   // aligned up to the next MiB
    public void NewPartition_StartsAtTheLargerOf512MiBAndTwiceTheImage(double imageMiB, long startMiB)
    {
        var decision = StickPlanner.Plan(EmptyStick(8 * GiB), Image((long)(imageMiB * MiB)), Persistence.RestOfDisk, "/dev/sdb");

        var partition = Assert.IsType<DataPartitionPlan>(decision.Plan?.Partition);
        Assert.Equal(startMiB * MiB, partition.StartBytes);
        Assert.Equal(8 * GiB - startMiB * MiB, partition.SizeBytes);
        Assert.True(partition.Create);
        Assert.Equal(3, partition.Slot);   // slots 1 and 2 are the image's
    }

    [Fact]
    public void Size_GivesThatMuch_AlignedToAMiB()
    {
        var decision = StickPlanner.Plan(EmptyStick(8 * GiB), Image(30 * MiB), new Persistence(100 * MiB + 5, false), "/dev/sdb");

        Assert.Equal(101 * MiB, decision.Plan!.Partition!.SizeBytes);
    }

    [Fact]
    public void TooSmallForImageRoomAndMinimum_IsRefusedWithEverySize()
    {
        var decision = StickPlanner.Plan(EmptyStick(520 * MiB), Image(30 * MiB), Persistence.RestOfDisk, "/dev/sdb");

        Assert.Null(decision.Plan);
        Assert.Equal("/dev/sdb is too small: it has 520.0 MiB and needs 528.0 MiB (the image is 30.0 MiB, its room to grow " +
            "ends at 512.0 MiB, and the saved changes need at least 16.0 MiB)", decision.Refusal);
    }

    [Fact]
    public void ImageOnly_NeedsOnlyTheImage()
    {
        Assert.NotNull(StickPlanner.Plan(EmptyStick(40 * MiB), Image(30 * MiB), Persistence.None, "/dev/sdb").Plan);
        Assert.Contains("too small: it has 20.0 MiB and needs 30.0 MiB",
            StickPlanner.Plan(EmptyStick(20 * MiB), Image(30 * MiB), Persistence.None, "/dev/sdb").Refusal);
    }

    [Fact]
    public void PersistenceBelowTheMinimum_IsRefused()
    {
        var decision = StickPlanner.Plan(EmptyStick(8 * GiB), Image(30 * MiB), new Persistence(4 * MiB, false), "/dev/sdb");

        Assert.Equal("--persistence 4M: the saved changes need at least 16.0 MiB", decision.Refusal);
    }

    [Fact]
    public void Rest_BeyondWhatAnMbrAddresses_StopsThereAndSaysSo()
    {
        var decision = StickPlanner.Plan(EmptyStick(4096 * GiB), Image(30 * MiB), Persistence.RestOfDisk, "/dev/sdb");

        Assert.Equal(StickPlanner.MbrLimit, decision.Plan!.Partition!.StartBytes + decision.Plan.Partition.SizeBytes);
        Assert.Contains("an MBR addresses only 2 TiB", decision.Plan.Note ?? "");
    }

    [Fact]
    public void Rerun_KeepsTheDataPartitionInItsSlot()
    {
        var stick = StickWithData(8 * GiB, 30 * MiB, 512 * MiB, 7 * GiB);

        var plan = StickPlanner.Plan(stick, Image(40 * MiB), new Persistence(64 * MiB, false), "/dev/sdb").Plan!;

        Assert.Equal(new DataPartitionPlan(3, 512 * MiB, 7 * GiB, Create: false), plan.Partition);
        Assert.Equal(40 * MiB, plan.ImageBytes);
    }

    [Fact]
    public void Rerun_ImageThatDoesNotFitInFront_IsRefusedWithTheSizes()
    {
        var stick = StickWithData(8 * GiB, 30 * MiB, 512 * MiB, 7 * GiB);

        var decision = StickPlanner.Plan(stick, Image(600 * MiB), Persistence.RestOfDisk, "/dev/sdb");

        Assert.Null(decision.Plan);
        Assert.StartsWith("the new image (600.0 MiB) does not fit in front of the rootfs_data partition of /dev/sdb, which starts " +
            "at 512.0 MiB; writing it would destroy the saved changes.", decision.Refusal);
    }

    [Fact]
    public void StickImageGivenAsTheImage_IsRefused()
    {
        var stickImage = StickWithData(600 * MiB, 30 * MiB, 512 * MiB, 64 * MiB);

        Assert.Contains("it is a stick image, not a Live image",
            StickPlanner.Plan(EmptyStick(8 * GiB), stickImage, Persistence.RestOfDisk, "/dev/sdb").Refusal);
    }

    [Fact]
    public void ImageWithoutPartitionTable_IsWrittenOnlyWithoutPersistence()
    {
        var plainIso = new DiskContents(30 * MiB, null, [], 30 * MiB);

        Assert.Contains("not a hybrid ISO", StickPlanner.Plan(EmptyStick(8 * GiB), plainIso, Persistence.RestOfDisk, "/dev/sdb").Refusal);
        Assert.NotNull(StickPlanner.Plan(EmptyStick(8 * GiB), plainIso, Persistence.None, "/dev/sdb").Plan);
    }

    [Fact]
    public void PartitionOnly_GoesAfterTheImageAlreadyOnTheStick()
    {
        var stick = new DiskContents(8 * GiB, Mbr(), Image(30 * MiB).Partitions, 30 * MiB);

        var plan = StickPlanner.Plan(stick, null, Persistence.RestOfDisk, "/dev/sda").Plan!;

        Assert.Null(plan.ImageBytes);
        Assert.Equal(new DataPartitionPlan(3, 512 * MiB, 8 * GiB - 512 * MiB, Create: true), plan.Partition);
    }

    [Fact]
    public void PartitionOnly_NeverOverlapsAPartitionBeyondTheImage()
    {
        var other = new DiskPartition(4, 0x0C, 700 * MiB, 100 * MiB, "vfat", "DATA");
        var stick = new DiskContents(8 * GiB, Mbr(), [.. Image(30 * MiB).Partitions, other], 30 * MiB);

        var plan = StickPlanner.Plan(stick, null, Persistence.RestOfDisk, "/dev/sda").Plan!;

        Assert.Equal(800 * MiB, plan.Partition!.StartBytes);
    }

    [Fact]
    public void PartitionOnly_RefusesAStickWithoutAnImage_AndDoesNothingWhenThePartitionIsThere()
    {
        Assert.Equal("/dev/sda holds no Live image (no iso9660 filesystem at its start); write one with: preinit stick live.iso /dev/sda",
            StickPlanner.Plan(EmptyStick(8 * GiB), null, Persistence.RestOfDisk, "/dev/sda").Refusal);

        var done = StickPlanner.Plan(StickWithData(8 * GiB, 30 * MiB, 512 * MiB, 7 * GiB), null, Persistence.RestOfDisk, "/dev/sda").Plan!;
        Assert.False(done.Partition!.Create);
        Assert.Null(done.ImageBytes);
        Assert.Contains("nothing to do", done.Note);
    }

    [Fact]
    public void FirstSector_HasTheEntry_AsThePartitionProbeReadsIt()
    {
        var partition = new DataPartitionPlan(3, 512 * MiB, 64 * MiB, Create: true);
        var disk = new byte[1024];
        StickPlanner.FirstSector(Mbr(), partition).CopyTo(disk, 0);

        var table = PartitionTableProbe.Probe(new ByteSource(disk));

        var entry = Assert.Single(table!.Value.Partitions);
        Assert.Equal((3, 512 * MiB, 64 * MiB), (entry.Number, entry.StartBytes, entry.SizeBytes));
        Assert.Equal(0x83, disk[446 + 2 * 16 + 4]);
    }

    [Theory]
    [InlineData("rest", true, null)]
    [InlineData("0", false, 0L)]
    [InlineData("512M", false, 512L << 20)]
    [InlineData("4G", false, 4L << 30)]
    public void Persistence_Parses(string text, bool rest, long? bytes)
    {
        Assert.True(Persistence.TryParse(text, out var p));
        Assert.Equal((rest, bytes), (p.Rest, p.Bytes));
        Assert.False(Persistence.TryParse("lots", out _));
    }
}
