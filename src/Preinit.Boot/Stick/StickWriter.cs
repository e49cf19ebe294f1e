// Writes the bytes `preinit stick` decided on: the image (its first sector replaced by the partition
// table with the rootfs_data entry, so the entry and the image land together), flushed to the
// stick, then read back from the stick itself (cached pages dropped first) and compared.
using Microsoft.Win32.SafeHandles;
using Preinit.Interop;

namespace Preinit.Boot.Stick;

public static class StickWriter
{
    private const int ChunkBytes = 4 << 20;

    /// <summary>Opens the target for writing: a block device exclusively (the kernel refuses while anything on it is
    /// mounted or claimed), a file created when missing.</summary>
    public static SafeFileHandle Open(StickTarget target, bool exclusive)
    {
        var flags = Libc.O_RDWR | Libc.O_CLOEXEC | (target.IsBlockDevice ? (exclusive ? Libc.O_EXCL : 0) : Libc.O_CREAT);
        try { return new SafeFileHandle(Libc.Open(target.Path, flags, 0x1A4), ownsHandle: true); }
        catch (SystemCallException e) when (e.Errno == Errno.EBUSY)
        {
            throw new StickException($"{target.Path} is in use: the kernel refuses exclusive access (something on it is mounted, " +
                "used as swap or held by another program); unmount it first");
        }
    }

    /// <summary>Writes <paramref name="image"/> at the start of the target with <paramref name="firstSector"/> in
    /// place of its first 512 bytes, then fsync.</summary>
    public static void Write(SafeFileHandle target, string image, byte[] firstSector, CopyProgress progress)
    {
        using var input = File.OpenHandle(image, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(input);
        var buffer = new byte[ChunkBytes];
        long done = 0;
        while (done < length)
        {
            var n = ReadFully(input, buffer, done, (int)Math.Min(buffer.Length, length - done));
            if (done == 0) firstSector.CopyTo(buffer, 0);
            RandomAccess.Write(target, buffer.AsSpan(0, n), done);
            done += n;
            progress.Report(done);
        }
        Sync(target);
        progress.Finish(done);
    }

    /// <summary>Writes one sector at offset 0 (the partition table), then fsync.</summary>
    public static void WriteFirstSector(SafeFileHandle target, byte[] sector)
    {
        RandomAccess.Write(target, sector, 0);
        Sync(target);
    }

    /// <summary>Reads the written range back from the stick and compares; returns the first byte that differs, or
    /// null when all are equal.</summary>
    public static long? Verify(SafeFileHandle target, string image, byte[] firstSector, CopyProgress progress)
    {
        DropCache(target);
        using var input = File.OpenHandle(image, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(input);
        byte[] expected = new byte[ChunkBytes], actual = new byte[ChunkBytes];
        long done = 0;
        while (done < length)
        {
            var n = ReadFully(input, expected, done, (int)Math.Min(expected.Length, length - done));
            if (done == 0) firstSector.CopyTo(expected, 0);
            var got = ReadFully(target, actual, done, n);
            var at = got < n ? got : expected.AsSpan(0, n).CommonPrefixLength(actual.AsSpan(0, n));
            if (at < n) return done + at;
            done += n;
            progress.Report(done);
        }
        progress.Finish(done);
        return null;
    }

    public static bool SectorReadsBack(SafeFileHandle target, byte[] sector)
    {
        DropCache(target);
        var actual = new byte[sector.Length];
        return ReadFully(target, actual, 0, actual.Length) == actual.Length && actual.AsSpan().SequenceEqual(sector);
    }

    private static void Sync(SafeFileHandle target) => Libc.Fsync((int)target.DangerousGetHandle());

    /// <summary>Drops what the kernel caches of the target, so the read-back comes from the stick, not from memory.</summary>
    private static void DropCache(SafeFileHandle target)
    {
        var fd = (int)target.DangerousGetHandle();
        Libc.TryIoctl(fd, Libc.BLKFLSBUF, 0);   // block devices only; ENOTTY on a file
        Libc.PosixFadvise(fd, 0, 0, Libc.POSIX_FADV_DONTNEED);
    }

    private static int ReadFully(SafeFileHandle handle, byte[] buffer, long offset, int count)
    {
        var done = 0;
        while (done < count)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done, count - done), offset + done);
            if (n <= 0) break;
            done += n;
        }
        return done;
    }
}
