// The superblock's one field table, read and written: what mke2fs left is read with the writer's offsets.
using System.Buffers.Binary;
using Preinit.Core.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2SuperblockTests
{
    [Fact]
    public void TryRead_ReadsCountsAndRejectsOtherData()
    {
        var sb = new byte[1024];
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(0), 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(4), 4000);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(12), 3857);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(16), 989);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(24), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(sb.AsSpan(56), 0xEF53);
        Assert.True(Ext2Superblock.TryRead(sb, out var parsed));
        Assert.Equal((1000u, 4000u, 3857u, 989u, 1024), (parsed.InodesCount, parsed.BlocksCount, parsed.FreeBlocksCount,
            parsed.FreeInodesCount, parsed.BlockSize));
        Assert.Equal(3857L * 1024, parsed.FreeBytes);
        Assert.False(Ext2Superblock.TryRead(new byte[1024], out _));
        Assert.False(Ext2Superblock.TryRead(new byte[10], out _));
    }

    [Fact]
    public void Write_ThenTryRead_GivesBackEveryField()
    {
        var uuid = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var written = new Ext2Superblock(2048, 8192, 7000, 2000, 1, 2, 8192, 2048, 1_700_000_000, 3,
            Ext2Superblock.Feature.IncompatFiletype, Ext2Superblock.Feature.RoCompatSparseSuper, uuid, "rootfs"u8.ToArray());
        var bytes = new byte[Ext2Superblock.Size];
        written.Write(bytes);

        Assert.True(Ext2Superblock.TryRead(bytes, out var read));
        Assert.Equal(written with { Uuid = default, VolumeName = default }, read with { Uuid = default, VolumeName = default });
        Assert.Equal(uuid, read.Uuid.ToArray());
        Assert.Equal("rootfs"u8.ToArray(), read.VolumeName.ToArray());
        Assert.Equal(4096, read.BlockSize);
    }
}
