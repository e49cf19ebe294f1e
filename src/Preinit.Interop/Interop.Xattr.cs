// Extended attributes, never following a symlink: llistxattr(2), lgetxattr(2), lsetxattr(2). An
// overlayfs layer keeps its own records in them (trusted.overlay.opaque marks an opaque directory),
// and files carry capabilities (security.capability) and ACLs (system.posix_acl_access) in them.
using System.Runtime.InteropServices;
using System.Text;

namespace Preinit.Interop;

public static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LlistxattrRaw(string path, byte* list, nuint size);

    [LibraryImport(Name, EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LgetxattrRaw(string path, string name, byte* value, nuint size);

    [LibraryImport(Name, EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LsetxattrRaw(string path, string name, byte* value, nuint size, int flags);

    /// <summary>The names of the attributes <paramref name="path"/> has; none when its filesystem keeps none.</summary>
    public static unsafe IReadOnlyList<string> ListXattrs(string path)
    {
        var bytes = SizedRead(size => { fixed (byte* p = size) return LlistxattrRaw(path, p, (nuint)size.Length); },
            () => $"llistxattr({Quote(path)})");
        if (bytes is null) return [];
        var names = new List<string>();
        foreach (var name in Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries)) names.Add(name);
        return names;
    }

    /// <summary>The value of attribute <paramref name="name"/>, or null when <paramref name="path"/> has none of that name.</summary>
    public static unsafe byte[]? GetXattr(string path, string name) =>
        SizedRead(buffer => { fixed (byte* p = buffer) return LgetxattrRaw(path, name, p, (nuint)buffer.Length); },
            () => $"lgetxattr({Quote(path)}, {name})");

    public static unsafe void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            CheckFile(LsetxattrRaw(path, name, p, (nuint)value.Length, 0), () => $"lsetxattr({Quote(path)}, {name})");
    }

    /// <summary>Asks for the size, then reads; again if the value grew in between. Null for no data or no support.</summary>
    private static byte[]? SizedRead(Func<byte[], nint> call, Func<string> describe)
    {
        while (true)
        {
            var size = call([]);
            if (size == -1) return Absent(Marshal.GetLastPInvokeError(), describe);
            var buffer = new byte[size];
            if (size == 0) return buffer;
            var read = call(buffer);
            if (read >= 0) return read == size ? buffer : buffer[..(int)read];
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.ERANGE) return Absent(errno, describe);
        }
    }

    private static byte[]? Absent(int errno, Func<string> describe) =>
        errno is Errno.ENODATA or Errno.EOPNOTSUPP ? null : throw FileError(describe(), errno);
}
