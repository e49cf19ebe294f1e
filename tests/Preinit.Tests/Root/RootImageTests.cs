using Preinit.Boot.Image;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Sizes;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Root;

public class RootImageTests
{
    private static readonly string[] Added = ["lost+found", "storage"];

    private static (RootImageResult Result, LoopDevice Loop) Build(Scratch scratch, string source, Headroom headroom,
        ImageMethod method, out string mounted)
    {
        mounted = scratch.Sub("mnt");
        var request = new RootImageRequest(source, Path.Combine(scratch.Path, "root.img"), mounted, headroom, ["storage"], method);
        var result = new RootImageBuilder(_ => { }).Build(request, out var loop);
        return (result, loop);
    }

    [RootFact]
    public void Build_Written_TreeWithEveryFileType_KeepsEveryPropertyAndPassesFsck() => EveryFileType(ImageMethod.Write);

    [RootFact]
    public void Build_Copied_TreeWithEveryFileType_KeepsEveryPropertyAndPassesFsck() => EveryFileType(ImageMethod.Copy);

    private static void EveryFileType(ImageMethod method)
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        OddTree.Create(source);

        var (result, loop) = Build(scratch, source, Headroom.Auto, method, out var mounted);
        try
        {
            Assert.Equal(TreeSnapshot.Of(source), TreeSnapshot.Of(mounted, Added));
            Assert.True(Directory.Exists(Path.Combine(mounted, "storage")));
            Assert.Equal((1, method), (result.Tries, result.Method));
        }
        finally
        {
            Libc.Umount2(mounted, 0);
            loop.Detach();
        }
        E2fs.AssertClean(Path.Combine(scratch.Path, "root.img"));
    }

    [RootFact]
    public void Build_Written_GeneratedTree_LeavesTheHeadroomFree() => GeneratedTree(ImageMethod.Write);

    [RootFact]
    public void Build_Copied_GeneratedTree_FitsAtFirstTryWithTheHeadroomFree() => GeneratedTree(ImageMethod.Copy);

    private static void GeneratedTree(ImageMethod method)
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        var random = new Random(42);
        for (var d = 0; d < 20; d++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(source, $"dir{d}")).FullName;
            for (var f = 0; f < 40; f++)
            {
                var bytes = new byte[random.Next(0, 40_000)];
                random.NextBytes(bytes);
                File.WriteAllBytes(Path.Combine(dir, $"file{f}"), bytes);
            }
        }
        var headroom = new Headroom(2 << 20, 0);
        var (result, loop) = Build(scratch, source, headroom, method, out var mounted);
        try
        {
            Assert.Equal(1, result.Tries);
            // /storage is made after the tree is in: it may take one block of the headroom.
            Assert.InRange(result.FreeBytes, (2L << 20) - 4096, (2L << 20) + result.ImageBytes / 20);
            Assert.Equal(800, result.Files);
        }
        finally
        {
            Libc.Umount2(mounted, 0);
            loop.Detach();
        }
    }

    [RootFact]
    public void Build_FilesThatLieAboutTheirSize_FallBackToMke2fsAndCopy()
    {
        // sysfs attributes claim 4096 bytes and hold a few: the writer refuses a file whose size is not what
        // the walk saw, and stage 1 falls back to mke2fs + copy, which takes what is there.
        const string source = "/sys/module/loop/parameters";
        Tier.Require(Directory.Exists(source) ? null : $"{source} missing (the loop module has no parameters here)");
        using var scratch = new Scratch();
        var mounted = scratch.Sub("mnt");
        var log = new List<string>();
        var request = new RootImageRequest(source, Path.Combine(scratch.Path, "root.img"), mounted, Headroom.Auto, [], ImageMethod.Write);
        var result = new RootImageBuilder(log.Add).Build(request, out var loop);
        try
        {
            Assert.Equal(ImageMethod.Copy, result.Method);
            Assert.Contains(log, l => l.StartsWith("writing the image failed: ") && l.Contains(source)
                && l.EndsWith("falling back to mke2fs and copy"));
            Assert.Equal(File.ReadAllText(Path.Combine(source, "max_loop")), File.ReadAllText(Path.Combine(mounted, "max_loop")));
        }
        finally
        {
            Libc.Umount2(mounted, 0);
            loop.Detach();
        }
    }

    [RootFact]
    public void Build_ImageInATmpfsTooSmall_FailsWithNoSpaceAndLeavesNothing()
    {
        // Stage 1 with too little RAM: the image's tmpfs cannot hold it. Writing it fails and so must the fallback:
        // a sparse image would take mke2fs and the copy, and the loop device's writes would be lost later.
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        var random = new Random(7);
        for (var f = 0; f < 12; f++)
        {
            var bytes = new byte[256 << 10];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(source, $"file{f}"), bytes);
        }
        var ram = scratch.Sub("ram");
        Libc.Mount("tmpfs", ram, "tmpfs", 0, "size=2m");
        var mounted = scratch.Sub("mnt");
        var image = Path.Combine(ram, "root.img");
        var request = new RootImageRequest(source, image, mounted, Headroom.Auto, ["storage"], ImageMethod.Write);

        LoopDevice? loop = null;
        var e = Record.Exception(() => new RootImageBuilder(_ => { }).Build(request, out loop));
        if (loop is not null)
        {
            Libc.Umount2(mounted, 0);
            loop.Detach();
        }

        Assert.Equal(Errno.ENOSPC, Assert.IsType<SystemCallException>(Assert.IsType<IOException>(e).InnerException).Errno);
        Assert.False(File.Exists(image));
        Assert.Empty(Directory.EnumerateFileSystemEntries(mounted));
    }

    [RootFact]
    public void RaiseInitramfsLimit_SmallTmpfs_RemountedToUsedPlusAvailableLessTheReserve()
    {
        using var scratch = new Scratch();
        var ram = scratch.Sub("ram");
        Libc.Mount("tmpfs", ram, "tmpfs", 0, "size=4m");
        File.WriteAllBytes(Path.Combine(ram, "tree"), new byte[1 << 20]);
        var meminfo = Path.Combine(scratch.Path, "meminfo");
        File.WriteAllText(meminfo, "MemTotal:        1048576 kB\nMemAvailable:     102400 kB\n");

        new RaiseInitramfsLimitStep(ram, meminfo).Run(new StepNotes());

        var fs = Libc.Statfs(ram);
        Assert.Equal((1L << 20) + (100L << 20) - (32L << 20), (long)fs.f_blocks * fs.f_bsize);
    }

    [RootFact]
    public void Attach_ThenDetach_TheKernelShowsTheBackingFileAndThenNothing()
    {
        using var scratch = new Scratch();
        var image = Path.Combine(scratch.Path, "file.img");
        using (var f = File.Create(image)) f.SetLength(1 << 20);

        var loop = LoopDevice.Attach(image);
        var backing = $"/sys/block/loop{loop.Number}/loop/backing_file";
        Assert.Equal(image, File.ReadAllText(backing).Trim());
        loop.Detach();
        Assert.False(File.Exists(backing));
    }
}
