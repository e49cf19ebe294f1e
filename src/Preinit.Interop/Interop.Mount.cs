// mount(2), umount2(2), pivot_root(2), chroot(2) and statfs(2); constants from linux/mount.h and linux/magic.h.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
        MS_REMOUNT = 32, MS_NOATIME = 1024, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384,
        MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21;

    public const int MNT_FORCE = 1, MNT_DETACH = 2;

    /// <summary>statfs f_flags: mounted read-only (sys/statvfs.h).</summary>
    public const long ST_RDONLY = 1;

    public const long RAMFS_MAGIC = 0x858458f6, TMPFS_MAGIC = 0x01021994, EXT2_SUPER_MAGIC = 0xEF53,
        PROC_SUPER_MAGIC = 0x9fa0, SYSFS_MAGIC = 0x62656572, OVERLAYFS_SUPER_MAGIC = 0x794c7630;

    internal const long SYS_pivot_root = 155;

    [LibraryImport(Name, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountRaw(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Name, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2Raw(string target, int flags);

    [LibraryImport(Name, EntryPoint = "chroot", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChrootRaw(string path);

    [LibraryImport(Name, EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChdirRaw(string path);

    [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallPivotRoot(long number, string newRoot, string putOld);

    [LibraryImport(Name, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatfsRaw(string path, out statfs buf);

    public static void Mount(string? source, string target, string? fstype, ulong flags, string? data) =>
        Check(Retry(() => MountRaw(source, target, fstype, flags, data)),
            () => $"mount({Quote(source)}, {Quote(target)}, {Quote(fstype)}, 0x{flags:x}, {Quote(data)})");

    public static void Umount2(string target, int flags) =>
        Check(Retry(() => Umount2Raw(target, flags)), () => $"umount2({Quote(target)}, {flags})");

    public static void Chroot(string path) => CheckFile(ChrootRaw(path), () => $"chroot({Quote(path)})", directory: true);

    public static void Chdir(string path) => CheckFile(ChdirRaw(path), () => $"chdir({Quote(path)})", directory: true);

    public static void PivotRoot(string newRoot, string putOld) =>
        Check(SyscallPivotRoot(SYS_pivot_root, newRoot, putOld),
            () => $"pivot_root({Quote(newRoot)}, {Quote(putOld)})");

    /// <summary>The filesystem magic (f_type) of the filesystem holding <paramref name="path"/>.</summary>
    public static long FilesystemType(string path) => Statfs(path).f_type;

    public static statfs Statfs(string path)
    {
        statfs result = default;
        CheckFile(Retry(() => StatfsRaw(path, out result)), () => $"statfs({Quote(path)})");
        return result;
    }
}

/// <summary>struct statfs for x86_64 (bits/statfs.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct statfs
{
    public long f_type, f_bsize;
    public ulong f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    public ulong f_fsid;
    public long f_namelen, f_frsize, f_flags;
    public long f_spare0, f_spare1, f_spare2, f_spare3;
}
