// The ext2 writer's view of a real directory: TreeScan's one walk (pre-order, one filesystem, statx
// per entry) turned into Ext2TreeEntry values. File content is opened only when the writer gets to it.
using Microsoft.Win32.SafeHandles;
using Preinit.Boot.Image;
using Preinit.Core.Ext2;
using Preinit.Interop;

namespace Preinit.Boot.Ext2;

public static class Ext2TreeSource
{
    /// <summary>Young-generation collections every this many bytes allocated while files are opened (see <see cref="AllocationBudget"/>).</summary>
    private const long CollectEvery = 2 << 20;

    public static Ext2TreeEntry[] Entries(TreeScan scan)
    {
        var root = scan.Root;
        var budget = new AllocationBudget(CollectEvery);
        var result = new Ext2TreeEntry[scan.Entries.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var (relative, st) = (scan.Entries[i].RelativePath, scan.Entries[i].Stat);
            var type = TypeOf(st.FileType);
            result[i] = new Ext2TreeEntry(relative, type)
            {
                Permissions = st.stx_mode & 0xFFFu,
                Uid = st.stx_uid,
                Gid = st.stx_gid,
                AccessTime = st.stx_atime.tv_sec,
                ModifyTime = st.stx_mtime.tv_sec,
                ChangeTime = st.stx_ctime.tv_sec,
                Size = type == Ext2FileType.Regular ? (long)st.stx_size : 0,
                SymlinkTarget = type == Ext2FileType.Symlink ? Libc.Readlink(root + "/" + relative) : null,
                DeviceMajor = st.stx_rdev_major,
                DeviceMinor = st.stx_rdev_minor,
                LinkId = type != Ext2FileType.Directory && st.stx_nlink > 1 ? st.stx_ino : null,
                OpenContent = type == Ext2FileType.Regular ? () => { budget.Check(); return OpenRead(root + "/" + relative); } : null,
            };
        }
        return result;
    }

    private static Ext2FileType TypeOf(uint fileType) => fileType switch
    {
        Libc.S_IFREG => Ext2FileType.Regular,
        Libc.S_IFDIR => Ext2FileType.Directory,
        Libc.S_IFLNK => Ext2FileType.Symlink,
        Libc.S_IFCHR => Ext2FileType.CharDevice,
        Libc.S_IFBLK => Ext2FileType.BlockDevice,
        Libc.S_IFIFO => Ext2FileType.Fifo,
        Libc.S_IFSOCK => Ext2FileType.Socket,
        _ => throw new InvalidDataException($"unknown file type 0x{fileType:x}"),
    };

    /// <summary>O_NOFOLLOW: a file replaced by a symlink since the scan fails instead of copying the link's target.
    /// Unbuffered: the writer reads in large chunks itself.</summary>
    private static FileStream OpenRead(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | Libc.O_NOCTTY);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }

    /// <summary>The GC lets its first generation grow with the CPU cache (tens of MiB) before it collects, so a
    /// tool that leaves a little garbage per file (paths, streams, handles) would grow by that much on any big
    /// tree. Collecting the young generation every few MiB allocated keeps the peak near the live data; each
    /// collection finds almost nothing alive and takes microseconds.</summary>
    private sealed class AllocationBudget(long bytes)
    {
        private long _next = GC.GetAllocatedBytesForCurrentThread() + bytes;

        public void Check()
        {
            var now = GC.GetAllocatedBytesForCurrentThread();
            if (now < _next) return;
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            _next = now + bytes;
        }
    }
}
