// rename(2): replaces the destination in one step and never follows a symlink at either end, which
// is what writing a file under a temporary name and moving it into place relies on.
// renameat2(2) with RENAME_EXCHANGE swaps two names in one step (a directory for a directory), and
// syncfs(2) writes a whole filesystem out: together they put a finished tree in place of another so
// that a power cut leaves one or the other, never a mix.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameRaw(string oldPath, string newPath);

    public static void Rename(string oldPath, string newPath) =>
        CheckFile(RenameRaw(oldPath, newPath), () => $"rename({Quote(oldPath)}, {Quote(newPath)})");

    public const uint RENAME_EXCHANGE = 2;

    [LibraryImport(Name, EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2Raw(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Name, EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncfsRaw(int fd);

    /// <summary>Swaps <paramref name="a"/> and <paramref name="b"/> atomically; both must exist.</summary>
    public static void Exchange(string a, string b) =>
        CheckFile(Renameat2Raw(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE), () => $"renameat2({Quote(a)}, {Quote(b)}, RENAME_EXCHANGE)");

    /// <summary>Writes out everything of the filesystem <paramref name="path"/> is on.</summary>
    public static void SyncFilesystem(string path)
    {
        var fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        try { CheckFile(SyncfsRaw(fd), () => $"syncfs({Quote(path)})"); }
        finally { Close(fd); }
    }
}
