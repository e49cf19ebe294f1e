// Stage 1's root: the ext2 image in RAM on a loop device, filled with the initramfs, with /dev/root
// pointing at the loop device as in the source post ("/dev/root point to /dev/loop0").
using Preinit.Boot.Image;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;
using Preinit.Core.Sizes;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record BuildRootImageStep(RootImageRequest Request) : IBootStep
{
    public const string DevRoot = "/dev/root";

    public StepOutcome Run(IStepContext context)
    {
        var result = new RootImageBuilder(context.Note).Build(Request, out var loop);
        loop.Release(); // the loop device keeps the image alive after switch_root deletes the file
        if (Libc.TryLstat(DevRoot, out _)) Libc.Unlink(DevRoot);
        Libc.Mknod(DevRoot, Libc.S_IFBLK | 0b110_000_000, Libc.MakeDev(LoopDevice.LoopMajor, (uint)result.LoopNumber));
        context.Note($"root image {ByteSize.Human(result.ImageBytes)} " +
            $"({(result.Method == ImageMethod.Write ? "written" : "mke2fs + copy")}) on {result.LoopDevicePath} (/dev/root), " +
            $"{result.Files} files, {ByteSize.Human(result.TreeBytes)} copied, {ByteSize.Human(result.FreeBytes)} free, " +
            $"{result.Tries} {(result.Tries == 1 ? "try" : "tries")}, {result.Elapsed.TotalMilliseconds:0} ms");
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        $"build the ext2 root image {Request.ImagePath} from {Request.SourceRoot} " +
        $"({(Request.Method == ImageMethod.Write ? "written directly" : "mke2fs + copy")}, headroom {Request.Headroom}), " +
        $"mount it on {Request.MountPoint}, add {string.Join(", ", Request.ExtraDirectories.Select(d => "/" + d))}";
}
