// What a copied file keeps of its original besides its type: data (moved with sendfile(2), no
// user-space buffer), owner, mode (setuid, setgid, sticky), extended attributes and times. The
// order matters: chown clears setuid, setgid and file capabilities, so the mode and the attributes
// come after it; the times come last, since writing the others would not change them but the
// contents of a directory do.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class FileMetadata
{
    /// <summary>Copies a regular file's data into a new file <paramref name="target"/> (which must not exist).</summary>
    public static void CopyData(string source, string target)
    {
        var input = Libc.Open(source, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW);
        try
        {
            var output = Libc.Open(target, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0b110_000_000);
            try
            {
                while (Libc.Sendfile(output, input, 1 << 30) > 0) { }
            }
            finally { Libc.Close(output); }
        }
        finally { Libc.Close(input); }
    }

    /// <summary>Gives <paramref name="path"/> the owner, mode and times of <paramref name="stat"/>, and the extended
    /// attributes of <paramref name="attributesFrom"/> when given. Symlinks have no mode of their own.</summary>
    public static void Apply(string path, statx stat, string? attributesFrom = null) =>
        Apply(path, stat.stx_uid, stat.stx_gid, stat.FileType == Libc.S_IFLNK ? null : stat.stx_mode & 0b111_111_111_111u,
            stat.stx_atime.ToTimespec(), stat.stx_mtime.ToTimespec(), attributesFrom);

    /// <param name="mode">Permission bits with setuid, setgid and sticky; null for a symlink.</param>
    public static void Apply(string path, uint uid, uint gid, uint? mode, timespec atime, timespec mtime, string? attributesFrom = null)
    {
        Libc.Lchown(path, uid, gid);
        if (mode is { } bits) Libc.Chmod(path, bits);
        if (attributesFrom is not null)
            foreach (var name in Libc.ListXattrs(attributesFrom))
                if (Libc.GetXattr(attributesFrom, name) is { } value) Libc.SetXattr(path, name, value);
        Libc.Lutimes(path, atime, mtime);
    }
}
