// A file's type (the S_IFMT bits of its mode) in words, for messages about something found where
// another kind of file was expected.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class FileKind
{
    public static string Describe(uint mode) => (mode & Libc.S_IFMT) switch
    {
        Libc.S_IFREG => "a regular file",
        Libc.S_IFDIR => "a directory",
        Libc.S_IFLNK => "a symbolic link",
        Libc.S_IFIFO => "a FIFO",
        Libc.S_IFCHR => "a character device",
        Libc.S_IFBLK => "a block device",
        Libc.S_IFSOCK => "a socket",
        _ => "a file of unknown type",
    };
}
