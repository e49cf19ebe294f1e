// Writes a tree as a newc cpio archive, the kernel's initramfs format, to any writable stream
// (a file, a pipe, a GZipStream): no cpio program, no seeking. It walks the tree twice, the same
// way: once to count the names of files with hard links (CpioLinks), once to write every entry in
// pre-order (CpioWalk) with inode numbers of its own counting, never the host's. File content is
// streamed chunk by chunk. Memory: one chunk, the listings on the way down, one record per file
// with hard links; nothing else grows with the tree.
using System.IO.Compression;
using System.Text;
using Preinit.Core.Ext2;

namespace Preinit.Core.Cpio;

public sealed class CpioWriteOptions
{
    /// <summary>Every entry owned by uid 0 and gid 0, whoever owns the tree (GNU cpio -R 0:0): a tree staged by an
    /// ordinary user unpacks as root's.</summary>
    public bool RootOwned { get; init; }
}

public sealed class CpioWriteResult(long entries, long files, long contentBytes, long archiveBytes)
{
    /// <summary>Names written, the root included, the trailer not.</summary>
    public long Entries { get; } = entries;
    /// <summary>Regular files written with their content (each file with hard links once).</summary>
    public long Files { get; } = files;
    public long ContentBytes { get; } = contentBytes;
    /// <summary>Bytes of the archive before any compression.</summary>
    public long ArchiveBytes { get; } = archiveBytes;
}

public static class CpioWriter
{
    private const int ChunkBytes = 128 * 1024;

    /// <summary>Writes <paramref name="source"/> to <paramref name="output"/>, ending with the trailer. Entries come in
    /// pre-order, every directory before what is in it: the root as ".", the rest by relative path without a
    /// leading "./" or "/". mtime is the modify time clamped to newc's unsigned 32 bits (<see cref="CpioNewc.Seconds"/>).
    /// A directory's link count is 2 and one per subdirectory; a file with hard links has one inode number on all its
    /// names, their count as link count, and its content on the last name only, the others with size 0.</summary>
    /// <exception cref="Ext2TreeException">An entry newc cannot hold (a path the kernel does not unpack, a file of 4 GiB or
    /// more), content that cannot be read, a file whose size changed while it was copied, or a tree that changed
    /// between the two walks, named.</exception>
    public static CpioWriteResult Write(IExt2TreeSource source, Stream output, CpioWriteOptions? options = null)
    {
        if (!output.CanWrite) throw new ArgumentException("the archive stream must be writable", nameof(output));
        var links = CpioLinks.Count(source);
        var session = new Session(source, links, options ?? new CpioWriteOptions(), output);
        session.Run();
        links.CheckAllWritten();
        session.WriteTrailer();
        output.Flush();
        return session.Result();
    }

    /// <summary>As <see cref="Write(IExt2TreeSource, Stream, CpioWriteOptions?)"/>, gzip-compressed (a .cpio.gz the kernel
    /// unpacks as it is); <paramref name="output"/> is left open.</summary>
    public static CpioWriteResult WriteGzip(IExt2TreeSource source, Stream output, CpioWriteOptions? options = null)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        return Write(source, gzip, options);
    }

    private sealed class Session(IExt2TreeSource source, CpioLinks links, CpioWriteOptions options, Stream output) : CpioWalk(source)
    {
        /// <summary>Header, name and padding of one entry: a name holds at most PATH_MAX bytes with its NUL.</summary>
        private readonly byte[] _head = new byte[CpioNewc.HeaderSize + CpioNewc.PathMax + 3];
        private byte[]? _chunk;
        private uint _nextIno = 1;
        private long _entries, _files, _contentBytes, _archiveBytes;

        protected override void Visit(Ext2TreeEntry e, int directoryLinks)
        {
            var header = new CpioHeader
            {
                Mode = Ext2Disk.ModeType(e.Type) | e.Permissions,
                Uid = options.RootOwned ? 0 : e.Uid,
                Gid = options.RootOwned ? 0 : e.Gid,
                Mtime = CpioNewc.Seconds(e.ModifyTime),
                Nlink = 1,
            };
            byte[]? target = null;
            var withContent = e.Type == Ext2FileType.Regular;
            switch (e.Type)
            {
                case Ext2FileType.Directory:
                    header.Nlink = (uint)directoryLinks;
                    break;
                case Ext2FileType.Symlink:
                    target = Encoding.UTF8.GetBytes(e.SymlinkTarget!);
                    header.FileSize = (uint)target.Length;
                    break;
                case Ext2FileType.CharDevice or Ext2FileType.BlockDevice:
                    (header.RdevMajor, header.RdevMinor) = (e.DeviceMajor, e.DeviceMinor);
                    break;
            }
            if (CpioLinks.IsLinked(e))
            {
                var group = NextName(e);
                header.Ino = group.Ino;
                header.Nlink = group.Names;
                withContent &= group.Written == group.Names;
            }
            else header.Ino = _nextIno++;
            if (withContent) header.FileSize = (uint)e.Size;

            WriteHead(header, e.Path.Length == 0 ? "." : e.Path);
            if (target is not null) WritePadded(target);
            else if (withContent) WriteContent(e);
            _entries++;
        }

        /// <summary>Another name of a file with hard links: the first gets the file its inode number.</summary>
        private CpioLinks.Group NextName(Ext2TreeEntry e)
        {
            if (!links.TryGet(e.LinkId!.Value, out var group) || group.Type != e.Type)
                throw Ext2TreeException.Changed(e.Path, "it has other hard links now");
            if (group.Written == group.Names)
                throw Ext2TreeException.Changed(e.Path, $"more than the {group.Names} names of the file counted before");
            if (group.Written++ == 0) group.Ino = _nextIno++;
            return group;
        }

        public void WriteTrailer() => WriteHead(new CpioHeader { Nlink = 1 }, CpioNewc.TrailerName);

        public CpioWriteResult Result() => new(_entries, _files, _contentBytes, _archiveBytes);

        /// <summary>Header, name with its NUL and padding, in one write.</summary>
        private void WriteHead(CpioHeader header, string name)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name, _head.AsSpan(CpioNewc.HeaderSize));
            _head[CpioNewc.HeaderSize + nameBytes] = 0;
            header.NameSize = (uint)nameBytes + 1;
            header.Write(_head);
            var length = CpioNewc.HeaderSize + nameBytes + 1;
            var padding = CpioNewc.Padding(length);
            _head.AsSpan(length, padding).Clear();
            Put(_head.AsSpan(0, length + padding));
        }

        /// <summary>Exactly Size bytes of a regular file's content, then its padding.</summary>
        private void WriteContent(Ext2TreeEntry e)
        {
            _chunk ??= new byte[ChunkBytes];
            using (var content = Ext2Content.Open(Source, e))
            {
                for (long offset = 0; offset < e.Size;)
                {
                    var want = (int)Math.Min(ChunkBytes, e.Size - offset);
                    Ext2Content.ReadChunk(e, content, offset, _chunk.AsSpan(0, want));
                    Put(_chunk.AsSpan(0, want));
                    offset += want;
                }
                Ext2Content.CheckEnd(e, content, _chunk);
            }
            Put(stackalloc byte[CpioNewc.Padding(e.Size)]);
            _files++;
            _contentBytes += e.Size;
        }

        private void WritePadded(ReadOnlySpan<byte> data)
        {
            Put(data);
            Put(stackalloc byte[CpioNewc.Padding(data.Length)]);
        }

        private void Put(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            _archiveBytes += bytes.Length;
        }
    }
}
