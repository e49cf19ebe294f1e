// The source's line width: no line of a C# file under src/ or tests/ is over 140 characters, so every file reads
// the same in an editor, a diff and a review.
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public class SourceLineWidthTests
{
    private const int MaxWidth = 140;

    [Fact]
    public void SourceFiles_NoLineOver140Characters()
    {
        var tooLong = new List<string>();
        foreach (var top in new[] { "src", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Paths.Repository, top), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Paths.Repository, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Split('/') is var parts && (parts.Contains("bin") || parts.Contains("obj"))) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    if (lines[i].Length > MaxWidth) tooLong.Add($"{relative}:{i + 1}: {lines[i].Length} characters");
            }
        }
        Assert.True(tooLong.Count == 0, $"{tooLong.Count} lines over {MaxWidth} characters:\n" + string.Join("\n", tooLong));
    }
}
