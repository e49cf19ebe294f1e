// Whole-disk calls `preinit stick` needs: the kernel's partition table re-read, the buffer cache of a
// device dropped, and cached pages of a file or device dropped before reading back what was written
// (linux/fs.h, fcntl.h).
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    /// <summary>BLKRRPART = _IO(0x12, 95): re-read the partition table. BLKFLSBUF = _IO(0x12, 97): flush and drop the
    /// device's buffer cache. BLKGETSIZE64 = _IOR(0x12, 114, size_t): the size in bytes.</summary>
    public const uint BLKRRPART = 0x125F, BLKFLSBUF = 0x1261, BLKGETSIZE64 = 0x80081272;

    public const int POSIX_FADV_DONTNEED = 4;

    [LibraryImport(Name, EntryPoint = "posix_fadvise")]
    private static partial int PosixFadviseRaw(int fd, long offset, long length, int advice);

    /// <summary>posix_fadvise(2) returns the error number itself rather than setting errno.</summary>
    public static void PosixFadvise(int fd, long offset, long length, int advice)
    {
        var error = PosixFadviseRaw(fd, offset, length, advice);
        if (error != 0) throw new SystemCallException($"posix_fadvise({fd}, {offset}, {length}, {advice})", error);
    }

    [LibraryImport(Name, EntryPoint = "isatty")]
    private static partial int IsattyRaw(int fd);

    public static bool IsTerminal(int fd) => IsattyRaw(fd) == 1;
}
