// Carries out a stick plan in the order that keeps an interruption harmless: the new rootfs_data
// filesystem first (after the image's room, where nothing is yet), then the image with the partition
// table that names it, read back and compared; then the kernel re-reads the table.
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Preinit.Core.Sizes;
using Preinit.Core.Stick;
using Preinit.Interop;

namespace Preinit.Boot.Stick;

public sealed class StickOptions(bool verify, bool terminal)
{
    public bool Verify { get; } = verify;
    public bool Terminal { get; } = terminal;
}

public static class StickMaker
{
    public static void Execute(StickTarget target, string? image, DiskContents current, StickPlan plan, StickOptions options,
        TextWriter output)
    {
        var first = StickPlanner.FirstSector(image is null ? current.Mbr! : FirstSectorOf(image), plan.Partition);
        if (!target.Exists)
        {
            using var created = StickWriter.Open(target, exclusive: false);
            RandomAccess.SetLength(created, current.SizeBytes);
        }
        if (plan.Partition is { Create: true } partition)
        {
            output.WriteLine($"Making the {DiskContents.DataLabel} filesystem (ext4, " +
                $"{ByteSize.Human(partition.SizeBytes)}) with mke2fs...");
            DataPartitionFormat.Run(target.Path, partition);
        }

        using (var handle = StickWriter.Open(target, exclusive: image is not null))
        {
            if (image is not null)
            {
                StickWriter.Write(handle, image, first, new CopyProgress(output, options.Terminal, "written", plan.ImageBytes!.Value));
                if (options.Verify && StickWriter.Verify(handle, image, first, new CopyProgress(output, options.Terminal, "verified",
                    plan.ImageBytes!.Value)) is { } at)
                    throw VerifyFailed(target, at);
            }
            else
            {
                StickWriter.WriteFirstSector(handle, first);
                if (options.Verify && !StickWriter.SectorReadsBack(handle, first)) throw VerifyFailed(target, 0);
            }
        }
        if (target.IsBlockDevice) output.WriteLine(RereadPartitionTable(target.Path));
    }

    private static byte[] FirstSectorOf(string image)
    {
        using var source = FileBlockSource.Open(image);
        var sector = new byte[PartitionTableProbe.SectorSize];
        source.Read(0, sector);
        return sector;
    }

    private static StickException VerifyFailed(StickTarget target, long at) =>
        new($"{target.Path} reads back different bytes at offset {at} than were written there. The stick is failing, or it is " +
            "fake (smaller than it claims to be): use another stick");

    /// <summary>BLKRRPART, so the new partition is a device now; it fails (EBUSY) while a partition is in use, and then
    /// the kernel sees the table at the next boot.</summary>
    private static string RereadPartitionTable(string device)
    {
        var fd = Libc.Open(device, Libc.O_RDONLY | Libc.O_CLOEXEC);
        try
        {
            var errno = Libc.TryIoctl(fd, Libc.BLKRRPART, 0);
            return errno == 0
                ? $"The kernel has read the new partition table of {device}."
                : $"The kernel keeps the old partition table of {device} until the next boot ({Libc.StrError(errno)}).";
        }
        finally { Libc.Close(fd); }
    }
}
