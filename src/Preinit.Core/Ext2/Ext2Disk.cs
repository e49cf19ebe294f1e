// The constants of ext2 revision 1 that are not one structure's fields (e2fsprogs lib/ext2fs/ext2_fs.h;
// the kernel's Documentation/filesystems/ext2.rst describes the same layout): reserved inodes, block
// pointers, name and link limits, mode bits, the sparse_super groups, device numbers in i_block.
// Each structure has its own file with its field table: Ext2Superblock, Ext2GroupDescriptor,
// Ext2Inode, Ext2DirEntry.
namespace Preinit.Core.Ext2;

public static class Ext2Disk
{
    public const int GroupDescriptorSize = 32;   // EXT2_MIN_DESC_SIZE: no 64bit feature

    /// <summary>The classic 128-byte inode (EXT2_GOOD_OLD_INODE_SIZE), as mke2fs makes for small filesystems and
    /// preinit's mke2fs path uses (-I 128): seconds only, signed 32-bit times.</summary>
    public const int InodeSize = 128;

    public const uint RootInode = 2, LostAndFoundInode = 11;   // inode 1 (bad blocks) and 3-10 stay zero
    /// <summary>s_first_ino: inodes 1-10 are reserved (EXT2_GOOD_OLD_FIRST_INO).</summary>
    public const uint FirstInode = 11;

    public const int DirectBlocks = 12;          // EXT2_NDIR_BLOCKS
    public const int IndirectSlot = 12, DoubleIndirectSlot = 13, TripleIndirectSlot = 14, BlockSlots = 15;

    public const int MaxNameLength = 255;        // EXT2_NAME_LEN
    public const int LinkMax = 65000;            // EXT2_LINK_MAX
    /// <summary>A target this long or shorter lives in i_block (60 bytes with its NUL): a fast symlink.</summary>
    public const int FastSymlinkMax = 4 * BlockSlots - 1;

    // i_mode type bits (sys/stat.h; the same in ext2 inodes).
    public const ushort ModeFifo = 0x1000, ModeCharDevice = 0x2000, ModeDirectory = 0x4000, ModeBlockDevice = 0x6000,
        ModeRegular = 0x8000, ModeSymlink = 0xA000, ModeSocket = 0xC000;

    public static ushort ModeType(Ext2FileType type) => type switch
    {
        Ext2FileType.Regular => ModeRegular,
        Ext2FileType.Directory => ModeDirectory,
        Ext2FileType.CharDevice => ModeCharDevice,
        Ext2FileType.BlockDevice => ModeBlockDevice,
        Ext2FileType.Fifo => ModeFifo,
        Ext2FileType.Socket => ModeSocket,
        Ext2FileType.Symlink => ModeSymlink,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Groups holding a superblock and descriptor copy with sparse_super: 0, 1 and powers of 3, 5 and 7.</summary>
    public static bool HasSuperblockCopy(long group)
    {
        if (group <= 1) return true;
        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    private static bool IsPowerOf(long value, long b)
    {
        while (value % b == 0) value /= b;
        return value == 1;
    }

    /// <summary>How the kernel's ext2 stores a device number in i_block (fs/ext2/inode.c, ext2_write_inode):
    /// major and minor below 256 use the old 16-bit encoding in i_block[0]; anything larger the new
    /// 32-bit one (new_encode_dev: minor low byte, major, minor high bits) in i_block[1].</summary>
    public static void EncodeDevice(uint major, uint minor, Span<uint> blocks)
    {
        blocks.Clear();
        if (major < 256 && minor < 256)
            blocks[0] = (major << 8) | minor;
        else
            blocks[1] = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
    }

    /// <summary>The inverse, as the kernel reads it back (old encoding when i_block[0] is set).</summary>
    public static (uint Major, uint Minor) DecodeDevice(ReadOnlySpan<uint> blocks)
    {
        if (blocks[0] != 0) return ((blocks[0] >> 8) & 0xff, blocks[0] & 0xff);
        var dev = blocks[1];
        return ((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
    }

    /// <summary>Unix seconds as the classic inode keeps them: a signed 32-bit value.</summary>
    public static uint Seconds(long unixSeconds) => (uint)(int)Math.Clamp(unixSeconds, int.MinValue, int.MaxValue);
}
