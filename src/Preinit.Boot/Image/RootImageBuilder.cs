// Stage 1's image work. By default the ext2 image is written directly, already filled, at its exact
// size (Ext2ImageBuilder), then attached to a loop device and mounted. The other way, and the
// automatic fallback when writing fails: count the tree and size the image as the writer does
// (Ext2Tree, Ext2Layout), format it with mke2fs with that block size and inode count, check the space
// mkfs really left, reserve it (fallocate), attach, mount and copy the tree with the writer's walk;
// only if the copy still runs out of space does it start over 25 % larger (the source post grew by
// 500 KiB per try and needed 70 tries for a 37 MB tree).
using System.Diagnostics;
using Preinit.Boot.Ext2;
using Preinit.Core.Configuration;
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Preinit.Interop;

namespace Preinit.Boot.Image;

public sealed record RootImageRequest(string SourceRoot, string ImagePath, string MountPoint, Headroom Headroom,
    IReadOnlyList<string> ExtraDirectories, ImageMethod Method = ImageMethod.Write);

public sealed record RootImageResult(string LoopDevicePath, int LoopNumber, long ImageBytes, int Tries,
    long TreeBytes, long Files, long FreeBytes, TimeSpan Elapsed, ImageMethod Method);

public sealed class RootImageBuilder(Action<string> log)
{
    private const int MaxTries = 5;

    /// <summary>Builds the image and leaves it mounted on the request's mount point, attached to the returned loop device.</summary>
    public RootImageResult Build(RootImageRequest request, out LoopDevice loop)
    {
        var clock = Stopwatch.StartNew();
        if (request.Method == ImageMethod.Write)
        {
            try { return BuildByWriting(request, clock, out loop); }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
            {
                log($"writing the image failed: {e.Message}; falling back to mke2fs and copy");
                if (File.Exists(request.ImagePath)) File.Delete(request.ImagePath);
            }
        }
        return BuildByCopying(request, clock, out loop);
    }

    private RootImageResult BuildByWriting(RootImageRequest request, Stopwatch clock, out LoopDevice loop)
    {
        var written = Ext2ImageBuilder.Write(request.SourceRoot, request.ImagePath,
            new Ext2ImageOptions { Headroom = request.Headroom }, [Path.GetFullPath(request.MountPoint)]);
        log($"wrote {ByteSize.Human(written.ImageBytes)} ext2 image ({written.BlockSize}-byte blocks) from " +
            $"{request.SourceRoot}: {written.Entries} entries, {ByteSize.Human(written.ContentBytes)} of file data");
        loop = LoopDevice.Attach(request.ImagePath);
        var mounted = false;
        try
        {
            mounted = Mount(request, loop);
            AddDirectories(request, Libc.Lstat(request.SourceRoot));
            return new RootImageResult(loop.Path, loop.Number, written.ImageBytes, 1, written.ContentBytes, written.Files,
                FreeBytes(request.MountPoint), clock.Elapsed, ImageMethod.Write);
        }
        catch
        {
            Undo(request, loop, mounted);
            throw;
        }
    }

    private RootImageResult BuildByCopying(RootImageRequest request, Stopwatch clock, out LoopDevice loop)
    {
        // Sized and walked as the writer does: a count (memory does not grow with the tree), the exact layout.
        var source = new Ext2DirectoryTree(Ext2DirectoryTree.ResolveRoot(request.SourceRoot),
            [Path.GetFullPath(request.ImagePath), Path.GetFullPath(request.MountPoint)]);
        Ext2Tree tree;
        Ext2Layout layout;
        try
        {
            tree = Ext2Tree.Scan(source);
            layout = Ext2Layout.For(tree.Summary, request.Headroom);
        }
        catch (Ext2TreeException e) { throw source.Named(e); }
        log($"tree {request.SourceRoot}: {tree.Summary.Entries} entries, {ByteSize.Human(tree.Summary.ApparentBytes)}; " +
            $"image {ByteSize.Human(layout.ImageBytes)} ({layout.BlockSize}-byte blocks, {layout.Inodes} inodes, " +
            $"headroom {ByteSize.Human(layout.HeadroomBytes)})");

        var imageBytes = layout.ImageBytes;
        for (var tries = 1; ; tries++)
        {
            try { imageBytes = Prepare(request.ImagePath, layout, imageBytes); }
            catch
            {
                File.Delete(request.ImagePath);
                throw;
            }
            loop = LoopDevice.Attach(request.ImagePath);
            var mounted = false;
            try
            {
                mounted = Mount(request, loop);
                TreeCopier.Copy(tree, source, request.MountPoint);
                AddDirectories(request, Libc.Lstat(request.SourceRoot));
                return new RootImageResult(loop.Path, loop.Number, imageBytes, tries, tree.Summary.ApparentBytes,
                    tree.Summary.Files, FreeBytes(request.MountPoint), clock.Elapsed, ImageMethod.Copy);
            }
            catch (SystemCallException e) when (e.Errno == Errno.ENOSPC && tries < MaxTries)
            {
                var larger = imageBytes + imageBytes / 4;
                log($"try {tries}: image of {ByteSize.Human(imageBytes)} is full ({e.Message}); trying {ByteSize.Human(larger)}");
                imageBytes = larger;
                Undo(request, loop, mounted);
            }
            catch
            {
                Undo(request, loop, mounted);
                throw;
            }
        }
    }

    /// <summary>Creates and formats an image of <paramref name="bytes"/> for <paramref name="layout"/>; grows it before any
    /// copy if mkfs left less than the tree needs.</summary>
    private long Prepare(string image, Ext2Layout layout, long bytes)
    {
        var bs = layout.BlockSize;
        // What the copy takes: the tree's blocks but those of the lost+found mke2fs makes, then the headroom;
        // inodes for all but the root and lost+found. A larger image (a try after ENOSPC) gets more inodes alike.
        var neededBytes = (layout.TreeBlocks - Ext2TreeSummary.LostAndFoundBlocks(bs)) * bs + layout.HeadroomBytes;
        var neededInodes = layout.UsedInodes - Ext2Disk.FirstInode;
        var inodes = Math.Max(layout.Inodes, bytes / Math.Max(bs, layout.ImageBytes / layout.Inodes));
        for (var i = 0; i < MaxTries; i++)
        {
            using (var file = new FileStream(image, FileMode.Create, FileAccess.Write)) file.SetLength(bytes);
            Ext2Formatter.Format(image, bytes, bs, inodes, log);
            var sb = Ext2Formatter.ReadSuperblock(image);
            var missingBytes = neededBytes - sb.FreeBytes;
            var missingInodes = neededInodes - sb.FreeInodesCount;
            if (missingBytes <= 0 && missingInodes <= 0)
            {
                Reserve(image, bytes);
                return bytes;
            }
            // A 1/64 margin on top of the shortfall, so mkfs (e2fsprogs reserves GDT blocks for resizing,
            // busybox does not) is run once more rather than once per missing block group.
            inodes += Math.Max(missingInodes, 0);
            var grow = Math.Max(missingBytes, 0) + Math.Max(missingInodes, 0) * Ext2Disk.InodeSize + bytes / 64;
            log($"mke2fs left {ByteSize.Human(sb.FreeBytes)} and {sb.FreeInodesCount} inodes free; " +
                $"growing the image by {ByteSize.Human(grow)}");
            bytes += (grow + bs - 1) / bs * bs;
        }
        return bytes;
    }

    /// <summary>Gives the formatted image all its blocks now. On tmpfs a sparse file takes RAM only when written: with too
    /// little RAM, mke2fs and the copy succeed and the loop device's writes fail later in the background ("lost async
    /// page write"), leaving init unreadable. After mke2fs, because e2fsprogs' discards the file's blocks again.</summary>
    /// <exception cref="IOException">No room for the image; the inner exception is fallocate's ENOSPC.</exception>
    private static void Reserve(string image, long bytes)
    {
        var fd = Libc.Open(image, Libc.O_WRONLY | Libc.O_CLOEXEC);
        try { Libc.Fallocate(fd, 0, 0, bytes); }
        // ramfs (an initramfs when root= is given) cannot reserve, nor does it limit what is written.
        catch (SystemCallException e) when (e.Errno == Errno.EOPNOTSUPP) { }
        catch (SystemCallException e) when (e.Errno == Errno.ENOSPC)
        {
            var free = Libc.Statfs(Path.GetDirectoryName(Path.GetFullPath(image))!);
            throw new IOException($"no room for the {ByteSize.Human(bytes)} root image {image}: " +
                $"{ByteSize.Human((long)free.f_bavail * free.f_bsize)} free on its filesystem (too little RAM?)", e);
        }
        finally { Libc.Close(fd); }
    }

    /// <summary>Mounts the attached image on the request's mount point; true once it is mounted.</summary>
    private static bool Mount(RootImageRequest request, LoopDevice loop)
    {
        Directory.CreateDirectory(request.MountPoint);
        Libc.Mount(loop.Path, request.MountPoint, "ext2", 0, null);
        return true;
    }

    private static long FreeBytes(string mountPoint)
    {
        var free = Libc.Statfs(mountPoint);
        return (long)free.f_bavail * free.f_bsize;
    }

    /// <summary>Directories the new root needs beyond the tree (/storage), keeping the root's own times.</summary>
    private static void AddDirectories(RootImageRequest request, statx root)
    {
        foreach (var dir in request.ExtraDirectories)
            Directory.CreateDirectory(Path.Combine(request.MountPoint, dir.TrimStart('/')));
        Libc.Lutimes(request.MountPoint, root.stx_atime.ToTimespec(), root.stx_mtime.ToTimespec());
    }

    private static void Undo(RootImageRequest request, LoopDevice loop, bool mounted)
    {
        if (mounted) Libc.Umount2(request.MountPoint, 0);
        loop.Detach();
        File.Delete(request.ImagePath);
    }
}
