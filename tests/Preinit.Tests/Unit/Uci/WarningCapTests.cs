// A file that makes a warning per line cannot flood the console and the kernel log at boot.
using Preinit.Boot.Extroot;
using Preinit.Core.Configuration;
using Xunit;

namespace Preinit.Tests.Unit.Uci;

public class WarningCapTests
{
    [Fact]
    public void Fstab_OfManyBadLines_GivesTheFirstWarningsAndACount()
    {
        var path = Path.Combine(Path.GetTempPath(), $"preinit-fstab-{Guid.NewGuid():N}");
        try
        {
            // Backslash-newline pairs: one syntax problem each, as in the 830 KB file that gave 400,000 warnings.
            File.WriteAllText(path, "config global\n" + string.Concat(Enumerable.Repeat("\\\n", 50_000)));
            var warnings = new List<string>();

            FstabFile.Read(path, warnings.Add);

            Assert.Equal(WarningCap.PerFile + 1, warnings.Count);
            Assert.Matches($@"^{path}: \d+ more problems not shown \(\d+ in all\); fix these first \(preinit uci show " +
                $@"{path} lists every syntax error\)$", warnings[^1]);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Cap_FewWarnings_AreAllShown() =>
        Assert.Equal(["a", "b"], WarningCap.Cap(["a", "b"], "f", "hint"));
}
