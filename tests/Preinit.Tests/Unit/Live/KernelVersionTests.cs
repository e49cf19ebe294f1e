// A bzImage names its own release in its header: the shipped kernel's is the name of the modules
// directory its package installs; a file that is not a bzImage has none.
using Preinit.Core.Live;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Live;

public class KernelVersionTests
{
    private static string? ReadFile(byte[] bytes) =>
        KernelVersion.Read(bytes.AsSpan(0, Math.Min(bytes.Length, KernelVersion.HeaderBytes)),
            offset => bytes[(int)offset..(int)Math.Min(bytes.Length, offset + 256)]);

    [PublishedFact]
    public void ShippedKernel_NamesTheReleaseOfItsModulesDirectory()
    {
        var modules = Path.Combine(Paths.Out, "cache", "kernel", "lib", "modules");
        var release = Assert.Single(Directory.GetDirectories(modules));

        Assert.Equal(Path.GetFileName(release), ReadFile(File.ReadAllBytes(Paths.Kernel)));
    }

    [Fact]
    public void NotABzImage_HasNoRelease()
    {
        Assert.Null(ReadFile(File.ReadAllBytes("/bin/true")));
        Assert.Null(ReadFile(new byte[100]));
    }
}
