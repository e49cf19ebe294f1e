// A tmpfs of the test's own in the private mount namespace, removed with everything mounted below it.
using Preinit.Interop;

namespace Preinit.Tests.Support;

public sealed class Scratch : IDisposable
{
    public string Path { get; }

    public Scratch()
    {
        Tier.Require(Tier.RootMissing());
        Path = Directory.CreateTempSubdirectory("preinit-test.").FullName;
        Libc.Mount("tmpfs", Path, "tmpfs", 0, "mode=0755,size=1g");
    }

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        Libc.Umount2(Path, Libc.MNT_DETACH);
        Directory.Delete(Path);
    }
}
