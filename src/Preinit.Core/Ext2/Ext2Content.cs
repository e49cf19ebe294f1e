// A regular file's content as a writer copies it from a tree source (the ext2 writer, the cpio
// writer): exactly the size the walk saw, chunk by chunk, with a failed open or read, and a file that
// shrank or grew while it was copied, named by the entry's path.
namespace Preinit.Core.Ext2;

internal static class Ext2Content
{
    /// <exception cref="Ext2TreeException">The content cannot be opened, named.</exception>
    public static Stream Open(IExt2TreeSource source, Ext2TreeEntry file)
    {
        try { return source.Open(file); }
        catch (Exception x) when (x is IOException and not Ext2TreeException or UnauthorizedAccessException)
        {
            throw new Ext2TreeException(file.Path, $"cannot open: {x.Message}", x);
        }
    }

    /// <summary>Fills <paramref name="chunk"/>, the bytes at <paramref name="offset"/> of the file's
    /// <see cref="Ext2TreeEntry.Size"/>.</summary>
    /// <exception cref="Ext2TreeException">A read error, or the content ended early: the file shrank since it was listed.</exception>
    public static void ReadChunk(Ext2TreeEntry file, Stream content, long offset, Span<byte> chunk)
    {
        var got = ReadFull(file, content, chunk);
        if (got < chunk.Length)
            throw new Ext2TreeException(file.Path, $"changed while being written: shrank to {offset + got} bytes, {file.Size} expected");
    }

    /// <summary>After <see cref="Ext2TreeEntry.Size"/> bytes the content must end.</summary>
    /// <param name="scratch">At least one byte to read into.</param>
    /// <exception cref="Ext2TreeException">A read error, or more content: the file grew since it was listed.</exception>
    public static void CheckEnd(Ext2TreeEntry file, Stream content, Span<byte> scratch)
    {
        if (ReadFull(file, content, scratch[..1]) != 0)
            throw new Ext2TreeException(file.Path, $"changed while being written: grew beyond {file.Size} bytes");
    }

    private static int ReadFull(Ext2TreeEntry file, Stream content, Span<byte> buffer)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var n = content.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new Ext2TreeException(file.Path, $"cannot read: {x.Message}", x);
        }
        return total;
    }
}
