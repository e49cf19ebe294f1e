// switch_root with the checks busybox and systemd make: the old root is the initramfs (ramfs or
// tmpfs), the new root is a mount point, init exists in it and is executable. Then /dev, /proc and
// /sys move into the new root, the initramfs is emptied (staying on its own filesystem, never
// entering the new root), the new root is moved onto / and init is exec'd on the console.
using Preinit.Boot.Logging;
using Preinit.Boot.Platform;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record SwitchRootStep(string NewRoot, string Init, BootLogFile Log, string OldRoot = "/") : IBootStep
{
    public static readonly IReadOnlyList<string> MovedMounts = ["/dev", "/proc", "/sys", "/run"];

    public bool Execs => true;

    public StepOutcome Run(IStepContext context)
    {
        Check(NewRoot, Init, OldRoot);
        foreach (var mount in MovedMounts.Where(MountPoint.Is))
        {
            var target = NewRoot + mount;
            Directory.CreateDirectory(target);
            Libc.Mount(mount, target, null, Libc.MS_MOVE, null);
        }
        Libc.Chdir(NewRoot);
        var removed = DeleteOldRoot(OldRoot, Libc.Lstat(OldRoot).Device, Path.GetFullPath(NewRoot));
        context.Note($"emptied the initramfs ({removed} entries); exec {Init} in the new root");
        Libc.Mount(".", "/", null, Libc.MS_MOVE, null);
        Libc.Chroot(".");
        Libc.Chdir("/");
        Log.HandOver();
        Libc.Execve(Init, [Init], ChildProcess.CurrentEnvironment());
        return StepOutcome.Continue; // not reached: Execve returns only by throwing
    }

    /// <summary>Refuses what would leave the machine without a root (busybox switch_root's and systemd's checks).</summary>
    public static void Check(string newRoot, string init, string oldRoot = "/")
    {
        var rootType = Libc.FilesystemType(oldRoot);
        if (rootType != Libc.RAMFS_MAGIC && rootType != Libc.TMPFS_MAGIC)
            throw new InvalidOperationException($"switch_root: {oldRoot} is not an initramfs (ramfs or tmpfs, " +
                $"found magic 0x{rootType:x}); refusing to delete it");
        if (!MountPoint.Is(newRoot))
            throw new InvalidOperationException($"switch_root: {newRoot} is not a mount point");
        if (Libc.Lstat(newRoot).Device == Libc.Lstat(oldRoot).Device)
            throw new InvalidOperationException($"switch_root: {newRoot} is on the same filesystem as {oldRoot}");
        var resolved = RootedPath.Resolve(newRoot, init);
        if (resolved is null || !Libc.TryLstat(resolved, out var st) || st.FileType != Libc.S_IFREG || !Libc.IsExecutable(resolved))
            throw new InvalidOperationException($"switch_root: {init} is missing or not executable in {newRoot}");
    }

    /// <summary>rm -rf of the old root's contents on its own filesystem only; errors are skipped (busybox does the same).</summary>
    public static int DeleteOldRoot(string directory, ulong device, string keep)
    {
        var count = 0;
        IEnumerable<string> children;
        try { children = Directory.EnumerateFileSystemEntries(directory).ToList(); }
        catch (IOException) { return 0; }
        foreach (var child in children)
        {
            if (child == keep || !Libc.TryLstat(child, out var st) || st.Device != device) continue;
            try
            {
                if (st.FileType == Libc.S_IFDIR)
                {
                    count += DeleteOldRoot(child, device, keep);
                    Libc.Rmdir(child);
                }
                else Libc.Unlink(child);
                count++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return count;
    }

    public override string ToString() => $"switch_root to {NewRoot} and exec {Init} on /dev/console";
}

/// <summary>Resolves a path inside a root that is not ours yet: symlinks are followed relative to that root.</summary>
public static class RootedPath
{
    public static string? Resolve(string root, string path)
    {
        for (var hops = 0; hops < 40; hops++)
        {
            var full = Path.Combine(root, path.TrimStart('/'));
            if (!Libc.TryLstat(full, out var st)) return null;
            if (st.FileType != Libc.S_IFLNK) return full;
            var target = Libc.Readlink(full);
            path = target.StartsWith('/') ? target : Path.Combine(Path.GetDirectoryName("/" + path.TrimStart('/'))!, target);
            path = Path.GetFullPath(path, "/");
        }
        return null;
    }
}
