// Random trees at every block size, sized by headroom or to a given size around group boundaries:
// e2fsck -fn passes, and debugfs rdump gives back every file's content and every symlink's target.
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2RandomTreeTests
{
    private sealed record Expected(Dictionary<string, byte[]> Files, Dictionary<string, string> Links);

    private static (TreeBuilder Tree, Expected Expected) RandomTree(int seed, int names = 400, int largest = 1_000_000)
    {
        var random = new Random(seed);
        var t = new TreeBuilder();
        var expected = new Expected([], []);
        var dirs = new List<string> { "" };
        var files = new List<string>();
        string Child(string dir, string name) => dir.Length == 0 ? name : $"{dir}/{name}";
        for (var i = 0; i < names; i++)
        {
            var dir = dirs[random.Next(dirs.Count)];
            var name = $"n{i}-{new string('x', random.Next(0, 60))}";
            var path = Child(dir, name);
            switch (random.Next(10))
            {
                case 0 when dir.Count(c => c == '/') < 5:
                    t.Dir(path, 0b111_000_000 | (uint)random.Next(0, 0x1000));   // the owner may enter: rdump and cleanup need it
                    dirs.Add(path);
                    break;
                case 1:
                    var target = new string('t', random.Next(1, 900));
                    t.Symlink(path, target);
                    expected.Links[path] = target;
                    break;
                case 2:
                    t.Node(path, (Ext2FileType)random.Next(3, 7), (uint)random.Next(0, 4096), (uint)random.Next(0, 1 << 20));
                    break;
                case 3 when files.Count > 0:
                    var existing = files[random.Next(files.Count)];
                    t.HardLink(path, existing);
                    expected.Files[path] = expected.Files[existing];
                    break;
                default:
                    var size = random.Next(8) switch
                    {
                        0 or 1 => 0,
                        2 or 3 or 4 => random.Next(1, 5000),
                        5 or 6 => random.Next(5000, 100_000),
                        _ => random.Next(100_000, largest),
                    };
                    var bytes = new byte[size];
                    // Some files are partly zero blocks (holes in the image), some are all zero.
                    if (random.Next(4) != 0)
                        for (var at = 0; at < size; at += 4096)
                            if (random.Next(3) != 0) random.NextBytes(bytes.AsSpan(at, Math.Min(4096, size - at)));
                    t.File(path, bytes, mode: 0b110_000_000 | (uint)random.Next(0, 0x1000),
                        uid: (uint)random.Next(), gid: (uint)random.Next(0, 70_000));
                    expected.Files[path] = bytes;
                    files.Add(path);
                    break;
            }
        }
        return (t, expected);
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(2, 2048)]
    [InlineData(3, 4096)]
    [InlineData(4, 1024)]
    [InlineData(5, 1024)]
    [InlineData(6, 4096)]
    public void Write_RandomTree_PassesFsckAndDumpsBackTheSame(int seed, int blockSize)
    {
        using var dir = new TempDir();
        var (tree, expected) = RandomTree(seed);
        var image = dir.File("random.img");
        E2fs.Write(tree.Entries, image, new Headroom(seed * 300_000, 0), blockSize);
        E2fs.AssertClean(image);
        AssertDumpsBack(image, dir.File("dump"), expected);
    }

    /// <summary>Sizes just around the first group boundaries: the last group may be tiny or left out.</summary>
    [Theory]
    [InlineData(8 * 1024 + 0)]
    [InlineData(8 * 1024 + 1)]
    [InlineData(8 * 1024 + 2)]
    [InlineData(8 * 1024 + 40)]
    [InlineData(8 * 1024 + 300)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(24 * 1024 + 77)]
    public void Write_GivenSizesAroundGroupBoundaries_PassFsck(int kib)
    {
        using var dir = new TempDir();
        var (tree, expected) = RandomTree(10, names: 250, largest: 200_000);
        var image = dir.File("sized.img");
        var (layout, _) = E2fs.Write(tree.Entries, image, size: kib * 1024L, blockSize: 1024);
        Assert.Equal(kib * 1024L, new FileInfo(image).Length);
        Assert.True(layout.Blocks <= kib);
        E2fs.AssertClean(image);
        AssertDumpsBack(image, dir.File("dump"), expected);
    }

    [Fact]
    public void Write_EmptyTree_PassesFsck()
    {
        using var dir = new TempDir();
        var image = dir.File("empty.img");
        E2fs.Write(new TreeBuilder().Entries, image, new Headroom(0, 0));
        E2fs.AssertClean(image);
        Assert.Contains("lost+found", E2fs.Debugfs(image, "ls /"));
    }

    private static void AssertDumpsBack(string image, string into, Expected expected)
    {
        Directory.CreateDirectory(into);
        E2fs.Debugfs(image, $"rdump / {into}");
        foreach (var (path, bytes) in expected.Files)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(into, path))), $"content of {path}");
        foreach (var (path, target) in expected.Links)
            Assert.Equal(target, new FileInfo(Path.Combine(into, path)).LinkTarget);
    }
}
