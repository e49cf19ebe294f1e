// The glibc files preinit needs in a rootfs, found by reading ELF headers rather than running ldd
// (a rootfs builder may lack it, and ldd runs the binary's own interpreter): the interpreter, then
// every DT_NEEDED library and those they need, each where the host's loader finds it.
using Preinit.Core.Elf;

namespace Preinit.Boot.Install;

public static class LibraryResolver
{
    /// <summary>Debian's multiarch directories first (where ldd there finds libc), then the lib64 and
    /// plain ones other distributions use. The same path is used inside the rootfs.</summary>
    public static readonly string[] SystemDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>Far above preinit (5 MiB) and libc (2 MiB): reading more is not reading a binary.</summary>
    private const long MaxBytes = 256L << 20;

    /// <returns>Absolute paths on this machine, the interpreter first; each belongs at the same path in the rootfs.</returns>
    public static IReadOnlyList<string> For(string binary)
    {
        var top = Read(binary);
        if (top.Machine != ElfDynamicLinking.EM_X86_64)
            throw new InstallException($"{binary} is built for ELF machine {top.Machine}, not x86-64 " +
                $"({ElfDynamicLinking.EM_X86_64}); give the linux-x64 preinit");
        var result = new List<string>();
        if (top.Interpreter is { } interpreter)
        {
            if (!File.Exists(interpreter))
                throw new InstallException($"{binary} needs the interpreter {interpreter}, " +
                    "which this machine lacks; install glibc (libc6)");
            result.Add(interpreter);
        }
        // The interpreter is also a DT_NEEDED name (ld-linux-x86-64.so.2); the loader is that library.
        var seen = new HashSet<string> { Path.GetFileName(top.Interpreter) ?? "" };
        var pending = new Queue<Need>();
        foreach (var name in top.Needed) pending.Enqueue(new Need(name, top.RunPath, binary));
        while (pending.TryDequeue(out var need))
        {
            if (!seen.Add(need.Name)) continue;
            var found = Find(need.Name, need.RunPath)
                ?? throw new InstallException($"{need.By} needs {need.Name}, which is in none of {string.Join(", ", SystemDirectories)}; " +
                    "install it on this machine first");
            result.Add(found);
            var library = Read(found);
            foreach (var name in library.Needed) pending.Enqueue(new Need(name, library.RunPath, found));
        }
        return result;
    }

    /// <summary>A library <paramref name="By"/> names, looked up in its run path first.</summary>
    private sealed record Need(string Name, IReadOnlyList<string> RunPath, string By);

    private static string? Find(string name, IReadOnlyList<string> runPath)
    {
        if (name.Contains('/')) return File.Exists(name) ? Path.GetFullPath(name) : null;
        // NativeAOT writes DT_RUNPATH $ORIGIN for native libraries shipped beside the app; preinit
        // ships none, and in the rootfs $ORIGIN would be /sbin, so such entries are not searched.
        foreach (var directory in runPath)
            if (!directory.Contains("$ORIGIN") && directory.StartsWith('/') && File.Exists(Path.Combine(directory, name)))
                return Path.Combine(directory, name);
        foreach (var directory in SystemDirectories)
            if (File.Exists(Path.Combine(directory, name))) return Path.Combine(directory, name);
        return null;
    }

    private static ElfDynamicLinking Read(string path)
    {
        if (new FileInfo(path).Length > MaxBytes)
            throw new InstallException($"{path} is larger than {MaxBytes >> 20} MiB: not a binary preinit can use");
        try
        {
            if (!ElfDynamicLinking.TryRead(File.ReadAllBytes(path), out var result))
                throw new InstallException($"{path} is not a 64-bit ELF executable; give the preinit binary (out/preinit)");
            return result;
        }
        catch (InvalidDataException e)
        {
            throw new InstallException($"{path} is a damaged ELF file ({e.Message}); give an intact preinit binary");
        }
    }
}
