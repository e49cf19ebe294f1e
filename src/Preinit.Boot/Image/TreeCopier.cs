// Copies a tree into a directory (the root of a filesystem mke2fs made, mklive's staging) through
// the kernel, keeping what a root
// filesystem needs: file type, mode (setuid, setgid, sticky), owner, times, symlinks, hard links,
// device nodes, fifos and sockets (see FileMetadata). The walk is the ext2 writer's (Ext2Tree.CopyTo):
// one directory at a time, nothing kept per entry. Directories get their mode and times once
// everything below them is in, so read-only directories and mtimes survive.
using Preinit.Boot.Ext2;
using Preinit.Boot.Platform;
using Preinit.Core.Ext2;
using Preinit.Interop;

namespace Preinit.Boot.Image;

public sealed class TreeCopier : IExt2CopyTarget
{
    private readonly Ext2DirectoryTree _source;
    private readonly string _destination;

    private TreeCopier(Ext2DirectoryTree source, string destination) => (_source, _destination) = (source, destination);

    /// <summary>Copies <paramref name="tree"/>, counted from <paramref name="source"/>, into <paramref name="destination"/>,
    /// an existing directory.</summary>
    /// <exception cref="SystemCallException">With Errno ENOSPC when the destination is full.</exception>
    /// <exception cref="Ext2TreeException">A name ext2 cannot hold, or one gone since the count, named by its absolute path.</exception>
    public static void Copy(Ext2Tree tree, Ext2DirectoryTree source, string destination)
    {
        try { tree.CopyTo(new TreeCopier(source, destination)); }
        catch (Ext2TreeException e) { throw source.Named(e); }
    }

    /// <summary>Counts <paramref name="source"/>, then copies it.</summary>
    public static void Copy(Ext2DirectoryTree source, string destination)
    {
        Ext2Tree tree;
        try { tree = Ext2Tree.Scan(source); }
        catch (Ext2TreeException e) { throw source.Named(e); }
        Copy(tree, source, destination);
    }

    public void Create(Ext2TreeEntry entry)
    {
        var target = Target(entry.Path);
        switch (entry.Type)
        {
            case Ext2FileType.Directory:
                // A filesystem mke2fs made has the root's lost+found already.
                if (entry.Path != Ext2Tree.LostAndFoundName || !Libc.TryLstat(target, out _)) Libc.Mkdir(target, 0b111_000_000);
                return;
            case Ext2FileType.Regular:
                FileMetadata.CopyData(_source.AbsolutePath(entry.Path), target);
                break;
            case Ext2FileType.Symlink:
                Libc.Symlink(entry.SymlinkTarget!, target);
                break;
            default: // character and block devices, fifos, sockets: ext2's mode type bits are sys/stat.h's
                Libc.Mknod(target, Ext2Disk.ModeType(entry.Type) | 0b110_000_000u, Libc.MakeDev(entry.DeviceMajor, entry.DeviceMinor));
                break;
        }
        Apply(target, entry);
    }

    public void Link(Ext2TreeEntry entry, string firstPath) => Libc.Link(Target(firstPath), Target(entry.Path));

    public void Close(Ext2TreeEntry directory) => Apply(Target(directory.Path), directory);

    private string Target(string relative) => relative.Length == 0 ? _destination : Path.Combine(_destination, relative);

    private static void Apply(string path, Ext2TreeEntry e) =>
        FileMetadata.Apply(path, e.Uid, e.Gid, e.Type == Ext2FileType.Symlink ? null : e.Permissions,
            new timespec { tv_sec = e.AccessTime }, new timespec { tv_sec = e.ModifyTime });
}
