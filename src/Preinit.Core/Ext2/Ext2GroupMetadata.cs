// The writer's last step: the bitmaps, the group descriptors and the superblock with its copies, all
// of which follow from the final allocation cursor (Ext2BlockOutput) and the count of inodes in use
// (inodes 1 to that count are all used: the reserved ones, lost+found, then the tree without gaps).
// Written group by group, in increasing order.
namespace Preinit.Core.Ext2;

internal static class Ext2GroupMetadata
{
    /// <returns>The free blocks and inodes of the whole filesystem.</returns>
    public static (long FreeBlocks, long FreeInodes) Write(Ext2Layout layout, Ext2BlockOutput output, long usedInodes,
        int[] directoriesPerGroup, Ext2WriteOptions options, byte[] label)
    {
        var bs = layout.BlockSize;
        var descriptors = new byte[layout.DescriptorBlocks * bs];
        long freeBlocks = 0, freeInodes = 0;
        for (var g = 0; g < layout.Groups; g++)
        {
            var blocks = FreeBlocks(layout, output, g);
            var inodes = UsedInodes(layout, g, usedInodes);
            freeBlocks += blocks;
            freeInodes += layout.InodesPerGroup - inodes;
            new Ext2GroupDescriptor((uint)layout.BlockBitmap(g), (uint)layout.InodeBitmap(g), (uint)layout.InodeTable(g),
                (ushort)blocks, (ushort)(layout.InodesPerGroup - inodes), (ushort)directoriesPerGroup[g])
                .Write(descriptors.AsSpan(g * Ext2Disk.GroupDescriptorSize));
        }

        var superblock = new byte[Ext2Superblock.Size];
        var bitmap = new byte[bs];
        for (var g = 0; g < layout.Groups; g++)
        {
            if (layout.HasSuperblock(g))
            {
                new Ext2Superblock((uint)layout.Inodes, (uint)layout.Blocks, (uint)freeBlocks, (uint)freeInodes,
                    (uint)layout.FirstDataBlock, layout.LogBlockSize, (uint)layout.BlocksPerGroup, (uint)layout.InodesPerGroup,
                    Ext2Disk.Seconds(options.Time), (ushort)g, Ext2Superblock.Feature.IncompatFiletype,
                    Ext2Superblock.Feature.RoCompatSparseSuper | Ext2Superblock.Feature.RoCompatLargeFile, options.Uuid, label)
                .Write(superblock);
                // The primary sits 1024 bytes into the device whatever the block size; copies open their group.
                output.WriteAt(g == 0 ? Ext2Superblock.Offset : layout.GroupStart(g) * bs, superblock);
                output.WriteAt((layout.GroupStart(g) + 1) * bs, descriptors);
            }
            WriteBitmap(output, bitmap, layout.BlockBitmap(g), layout.GroupMetadataBlocks(g) + output.UsedDataBlocks(g),
                layout.BlocksInGroup(g));
            WriteBitmap(output, bitmap, layout.InodeBitmap(g), UsedInodes(layout, g, usedInodes), layout.InodesPerGroup);
        }
        output.Flush();
        return (freeBlocks, freeInodes);
    }

    private static long FreeBlocks(Ext2Layout layout, Ext2BlockOutput output, int g) =>
        layout.BlocksInGroup(g) - layout.GroupMetadataBlocks(g) - output.UsedDataBlocks(g);

    private static long UsedInodes(Ext2Layout layout, int g, long usedInodes) =>
        Math.Clamp(usedInodes - (long)g * layout.InodesPerGroup, 0, layout.InodesPerGroup);

    /// <summary>A bitmap block: the first <paramref name="used"/> bits set, and the padding past <paramref name="valid"/> set
    /// too, as e2fsck expects.</summary>
    private static void WriteBitmap(Ext2BlockOutput output, byte[] bitmap, long block, long used, long valid)
    {
        Array.Clear(bitmap);
        SetBits(bitmap, 0, used);
        SetBits(bitmap, valid, 8L * bitmap.Length);
        output.WriteBlock((uint)block, bitmap);
    }

    private static void SetBits(byte[] bitmap, long from, long to)
    {
        for (var bit = from; bit < to;)
        {
            if ((bit & 7) == 0 && to - bit >= 8)
            {
                var bytes = (int)((to - bit) / 8);
                bitmap.AsSpan((int)(bit / 8), bytes).Fill(0xFF);
                bit += 8L * bytes;
                continue;
            }
            bitmap[bit / 8] |= (byte)(1 << (int)(bit & 7));
            bit++;
        }
    }
}
