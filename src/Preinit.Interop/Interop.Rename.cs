// rename(2): replaces the destination in one step and never follows a symlink at either end, which
// is what writing a file under a temporary name and moving it into place relies on.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameRaw(string oldPath, string newPath);

    public static void Rename(string oldPath, string newPath) =>
        Check(RenameRaw(oldPath, newPath), () => $"rename({Quote(oldPath)}, {Quote(newPath)})");
}
