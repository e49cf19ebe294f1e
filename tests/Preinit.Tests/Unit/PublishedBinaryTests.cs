// What the shipped executable links against and how big it is. The size budget catches growth such
// as LINQ over value types (each instantiation copies LINQ's iterator family; see the README's
// "Binary size"), not a target: the 4 MB is below what the required packages alone make.
using Preinit.Core.Elf;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public class PublishedBinaryTests
{
    public const long SizeBudgetBytes = 6_000_000;

    [PublishedFact]
    public void PublishedBinary_NeedsOnlyLibcLibmAndTheLoader()
    {
        Assert.True(ElfDynamicLinking.TryRead(File.ReadAllBytes(Paths.PublishedBinary), out var elf));

        Assert.Equal(["ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6"], elf.Needed.Order(StringComparer.Ordinal));
        Assert.Equal("/lib64/ld-linux-x86-64.so.2", elf.Interpreter);
    }

    [PublishedFact]
    public void PublishedBinary_StaysWithinItsSizeBudget()
    {
        var size = new FileInfo(Paths.PublishedBinary).Length;

        Assert.True(size <= SizeBudgetBytes,
            $"{Paths.PublishedBinary} is {size:N0} bytes, over its {SizeBudgetBytes:N0}-byte budget; build with " +
            "-p:IlcGenerateMapFile=true and compare the map to find what grew (README, Binary size)");
    }

    /// <summary>The library's own suggestions are emptied in the published binary (native-aot/ILLink.Substitutions.xml, for
    /// size); ours must write them there exactly once, and the same way in-process.</summary>
    [PublishedFact]
    public void PublishedBinary_SuggestsTheVerbMeantForATypo_Once()
    {
        var run = Tools.Capture(Paths.PublishedBinary, ["plna"]);
        var (code, inProcessOut, inProcessErr) = Verbs.Run("plna");

        const string Suggestion = "'plna' was not matched. Did you mean one of the following?\nplan\n";
        Assert.Equal(2, run.Exit); // a usage error
        Assert.Equal(2, code);
        Assert.Equal(2, run.All.Replace("\r", "").Split(Suggestion).Length);
        Assert.Equal(2, (inProcessOut + inProcessErr).Replace("\r", "").Split(Suggestion).Length);
    }

    [PublishedFact]
    public void PublishedBinary_IsStripped()
    {
        var sections = Tools.Run("readelf", "-S", "-W", Paths.PublishedBinary);

        Assert.DoesNotContain(" .symtab ", sections);
        Assert.DoesNotContain(" .debug_info ", sections);
    }
}
