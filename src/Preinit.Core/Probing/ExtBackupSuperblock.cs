// When a device holds nothing known, its primary ext superblock may just be damaged: the first
// blocks of a stick are the ones written most. mke2fs keeps a copy at the start of block group 1,
// and that copy still names the filesystem; e2fsck -b BLOCK -B SIZE rebuilds the primary from it.
// Without this the device looks empty, and the advice for an empty device is to format it.
namespace Preinit.Core.Probing;

/// <param name="Filesystem">What the copy says: type, label, UUID.</param>
/// <param name="Block">Where the copy is, in blocks of <paramref name="BlockSize"/> (e2fsck's -b and -B).</param>
public sealed record ExtBackup(ProbeResult Filesystem, long Block, int BlockSize)
{
    public string RepairCommand(string device) => $"e2fsck -p -b {Block} -B {BlockSize} {device}";
}

public static class ExtBackupSuperblock
{
    // Group 1 starts after 8 * block size blocks of group 0 (plus block 0 with 1 KiB blocks): the numbers e2fsck suggests.
    private static readonly (int BlockSize, long Block)[] FirstCopies = [(1024, 8193), (2048, 16384), (4096, 32768)];

    public static ExtBackup? Find(IBlockSource source)
    {
        foreach (var (blockSize, block) in FirstCopies)
        {
            var at = block * blockSize;
            if (at + 1024 > source.Length) continue;
            // Seen through a window starting 1024 bytes before it, the copy sits where a primary superblock would.
            var window = new SliceSource(source, at - 1024, source.Length - (at - 1024));
            if (ExtProbe.TryProbeFilesystem(window, out var filesystem, out var size) && size == blockSize)
                return new ExtBackup(filesystem, block, blockSize);
        }
        return null;
    }
}
