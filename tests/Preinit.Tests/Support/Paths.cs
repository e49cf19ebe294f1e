// Where the repository and the build output are, found from the test assembly's location.
namespace Preinit.Tests.Support;

public static class Paths
{
    public static string Repository { get; } = FindRepository();

    public static string Out => Environment.GetEnvironmentVariable("OUT") is { Length: > 0 } o ? Path.GetFullPath(o, Repository)
        : Path.Combine(Repository, "out");
    public static string LiveIso => Path.Combine(Out, "live.iso");
    public static string LiveStickImage => Path.Combine(Out, "live-stick.img");
    public static string Kernel => Path.Combine(Out, "vmlinuz");
    public static string Initramfs => Path.Combine(Out, "initramfs.cpio.gz");
    public static string InitramfsTree => Path.Combine(Out, "initramfs");
    public static string PublishedBinary => Path.Combine(Out, "preinit");
    public static string PublishScript => Path.Combine(Repository, "publish.sh");

    private static string FindRepository()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Preinit.sln"))) return dir;
        throw new DirectoryNotFoundException("Preinit.sln not found above " + AppContext.BaseDirectory);
    }
}
