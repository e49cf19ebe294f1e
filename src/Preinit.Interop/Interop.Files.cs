// File-level calls the tree copy, the image writer's walk and the device setup need: statx(2),
// getdents64(2), readlinkat(2), mknod(2), lchown(2), utimensat(2), symlink(2), link(2), sendfile(2),
// fallocate(2) and friends. Constants from sys/stat.h and fcntl.h.
using System.Runtime.InteropServices;
using System.Text;

namespace Preinit.Interop;

public static partial class Libc
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000,
        S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80,
        O_NOCTTY = 0x100, O_TRUNC = 0x200, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000,
        O_CLOEXEC = 0x80000;

    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff, STATX_MNT_ID = 0x1000;

    [LibraryImport(Name, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxRaw(int dirfd, string path, int flags, uint mask, out statx buf);

    [LibraryImport(Name, EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MknodRaw(string path, uint mode, ulong dev);

    [LibraryImport(Name, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdirRaw(string path, uint mode);

    [LibraryImport(Name, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LchownRaw(string path, uint owner, uint group);

    [LibraryImport(Name, EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChmodRaw(string path, uint mode);

    [LibraryImport(Name, EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int UtimensatRaw(int dirfd, string path, timespec* times, int flags);

    [LibraryImport(Name, EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SymlinkRaw(string target, string linkPath);

    [LibraryImport(Name, EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint ReadlinkRaw(string path, byte* buf, nuint size);

    [LibraryImport(Name, EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint ReadlinkatRaw(int dirfd, string path, byte* buf, nuint size);

    [LibraryImport(Name, EntryPoint = "getdents64", SetLastError = true)]
    private static unsafe partial nint Getdents64Raw(int fd, byte* dirp, nuint count);

    [LibraryImport(Name, EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadRaw(int fd, byte* buf, nuint count);

    [LibraryImport(Name, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkRaw(string oldPath, string newPath);

    [LibraryImport(Name, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkRaw(string path);

    [LibraryImport(Name, EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RmdirRaw(string path);

    [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags, uint mode);

    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    private static partial int CloseRaw(int fd);

    [LibraryImport(Name, EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int FtruncateRaw(int fd, long length);

    [LibraryImport(Name, EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendfileRaw(int outFd, int inFd, nint offset, nuint count);

    [LibraryImport(Name, EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncRaw(int fd);

    [LibraryImport(Name, EntryPoint = "fallocate", SetLastError = true)]
    private static partial int FallocateRaw(int fd, int mode, long offset, long length);

    [LibraryImport(Name, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AccessRaw(string path, int mode);

    public const int X_OK = 1, W_OK = 2, R_OK = 4;

    /// <summary>access(2): whether this process may use <paramref name="path"/> so (root passes read and write checks).</summary>
    public static bool Access(string path, int mode) => AccessRaw(path, mode) == 0;

    /// <summary>glibc's makedev(3).</summary>
    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    /// <summary>lstat-like: does not follow a final symlink.</summary>
    public static statx Lstat(string path)
    {
        statx result = default;
        CheckFile(Retry(() => StatxRaw(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, out result)),
            () => $"statx({Quote(path)}, AT_SYMLINK_NOFOLLOW)");
        return result;
    }

    public static statx Stat(string path)
    {
        statx result = default;
        CheckFile(Retry(() => StatxRaw(AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_MNT_ID, out result)),
            () => $"statx({Quote(path)})");
        return result;
    }

    public const int AT_EMPTY_PATH = 0x1000;

    /// <summary>fstat-like: what the open descriptor is (statx with AT_EMPTY_PATH).</summary>
    public static statx Fstat(int fd)
    {
        statx result = default;
        CheckFile(Retry(() => StatxRaw(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, out result)), () => $"statx({fd}, \"\", AT_EMPTY_PATH)");
        return result;
    }

    /// <summary>stat-like (a final symlink followed), without throwing: false when the path leads nowhere.</summary>
    public static bool TryStat(string path, out statx result)
    {
        statx buf = default;
        var ok = Retry(() => StatxRaw(AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_MNT_ID, out buf)) == 0;
        result = buf;
        return ok;
    }

    public static bool TryLstat(string path, out statx result)
    {
        statx buf = default;
        var ok = Retry(() => StatxRaw(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, out buf)) == 0;
        result = buf;
        return ok;
    }

    /// <summary>lstat of <paramref name="name"/> in the directory open as <paramref name="dirfd"/>, without throwing
    /// (the caller names the path): 0, or the errno. No allocation, for walks over many entries.</summary>
    public static int LstatAt(int dirfd, string name, out statx result)
    {
        int rc;
        do rc = StatxRaw(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out result);
        while (rc == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return rc == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>readlinkat(2) into <paramref name="buffer"/>: the target's length, or -errno.</summary>
    public static unsafe int ReadlinkAt(int dirfd, string name, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = ReadlinkatRaw(dirfd, name, p, (nuint)buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>getdents64(2): fills <paramref name="buffer"/> with struct linux_dirent64 records; bytes filled, 0 at the end.</summary>
    public static unsafe int Getdents64(int fd, Span<byte> buffer, string pathForErrors) =>
        ReadInto(&Getdents64Raw, fd, buffer, "getdents64", pathForErrors);

    /// <summary>read(2): bytes read, 0 at the end of the file.</summary>
    public static unsafe int Read(int fd, Span<byte> buffer) => ReadInto(&ReadRaw, fd, buffer, "read", null);

    /// <summary>A call shaped like read(2) into a span, retried on EINTR; the error names the path, else the descriptor.</summary>
    private static unsafe int ReadInto(delegate*<int, byte*, nuint, nint> call, int fd, Span<byte> buffer, string name, string? path)
    {
        fixed (byte* p = buffer)
        {
            nint n;
            do n = call(fd, p, (nuint)buffer.Length);
            while (n == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            if (n == -1)
                throw FileError(path is null ? $"{name}({fd}, {buffer.Length})" : $"{name}({Quote(path)})", Marshal.GetLastPInvokeError());
            return (int)n;
        }
    }

    public static void Mknod(string path, uint mode, ulong dev) =>
        CheckFile(MknodRaw(path, mode, dev), () => $"mknod({Quote(path)}, 0{Convert.ToString(mode, 8)}, 0x{dev:x})");

    public static void Mkdir(string path, uint mode) =>
        CheckFile(MkdirRaw(path, mode), () => $"mkdir({Quote(path)}, 0{Convert.ToString(mode, 8)})", directory: true);

    public static void Lchown(string path, uint owner, uint group) =>
        CheckFile(LchownRaw(path, owner, group), () => $"lchown({Quote(path)}, {owner}, {group})");

    public static void Chmod(string path, uint mode) =>
        CheckFile(ChmodRaw(path, mode), () => $"chmod({Quote(path)}, 0{Convert.ToString(mode, 8)})");

    /// <summary>Sets atime and mtime without following a final symlink.</summary>
    public static unsafe void Lutimes(string path, timespec atime, timespec mtime)
    {
        var times = stackalloc timespec[2] { atime, mtime };
        CheckFile(UtimensatRaw(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), () => $"utimensat({Quote(path)})");
    }

    public static void Symlink(string target, string linkPath) =>
        CheckFile(SymlinkRaw(target, linkPath), () => $"symlink({Quote(target)}, {Quote(linkPath)})");

    public static unsafe string Readlink(string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = buf)
        {
            var n = ReadlinkRaw(path, p, (nuint)buf.Length);
            CheckFile(n, () => $"readlink({Quote(path)})");
            return Encoding.UTF8.GetString(buf, 0, (int)n);
        }
    }

    public static void Link(string oldPath, string newPath) =>
        CheckFile(LinkRaw(oldPath, newPath), () => $"link({Quote(oldPath)}, {Quote(newPath)})");

    public static void Unlink(string path) => CheckFile(UnlinkRaw(path), () => $"unlink({Quote(path)})");

    public static void Rmdir(string path) => CheckFile(RmdirRaw(path), () => $"rmdir({Quote(path)})", directory: true);

    public static int Open(string path, int flags, uint mode = 0) =>
        (int)CheckFile(Retry(() => OpenRaw(path, flags, mode)), () => $"open({Quote(path)}, 0x{flags:x})");

    public static void Close(int fd) => CloseRaw(fd);

    public static void Ftruncate(int fd, long length) =>
        CheckFile(Retry(() => FtruncateRaw(fd, length)), () => $"ftruncate({fd}, {length})");

    public static void Fsync(int fd) => CheckFile(Retry(() => FsyncRaw(fd)), () => $"fsync({fd})");

    /// <summary>fallocate(2): gives the range its blocks (mode 0 also extends the file to cover it).</summary>
    public static void Fallocate(int fd, int mode, long offset, long length) =>
        CheckFile(Retry(() => FallocateRaw(fd, mode, offset, length)), () => $"fallocate({fd}, {mode}, {offset}, {length})");

    /// <summary>Copies <paramref name="count"/> bytes in the kernel; returns bytes copied (0 at end of file).</summary>
    public static long Sendfile(int outFd, int inFd, long count) =>
        CheckFile(Retry(() => (long)SendfileRaw(outFd, inFd, 0, (nuint)Math.Min(count, 0x7ffff000))),
            () => $"sendfile({outFd}, {inFd}, {count})");

    public static bool IsExecutable(string path) => AccessRaw(path, X_OK) == 0;
}

/// <summary>struct linux_dirent64 (getdents64(2)), the layout of glibc's struct dirent64: a variable-length record,
/// so only its field offsets; d_name is NUL-terminated and d_reclen bytes lead to the next record.</summary>
public static class linux_dirent64
{
    public const int d_ino = 0, d_off = 8, d_reclen = 16, d_type = 18, d_name = 19;
}

/// <summary>struct timespec for x86_64.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct timespec
{
    public long tv_sec, tv_nsec;
}

/// <summary>struct statx_timestamp (linux/stat.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct statx_timestamp
{
    public long tv_sec;
    public uint tv_nsec;
    public int __reserved;

    public readonly timespec ToTimespec() => new() { tv_sec = tv_sec, tv_nsec = tv_nsec };
}

/// <summary>struct statx (linux/stat.h), 256 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
public struct statx
{
    public uint stx_mask, stx_blksize;
    public ulong stx_attributes;
    public uint stx_nlink, stx_uid, stx_gid;
    public ushort stx_mode, __spare0;
    public ulong stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    public statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    public uint stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    public ulong stx_mnt_id;

    public readonly uint FileType => stx_mode & Libc.S_IFMT;
    public readonly ulong Device => Libc.MakeDev(stx_dev_major, stx_dev_minor);
    public readonly ulong RawDevice => Libc.MakeDev(stx_rdev_major, stx_rdev_minor);
}
