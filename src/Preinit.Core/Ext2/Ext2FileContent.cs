// A regular file's content streamed into its blocks for the writer: exactly the size the walk saw,
// read chunk by chunk (Ext2Content), all-zero blocks left as holes, blocks that are contiguous both in
// the file and on disk written with one call.
namespace Preinit.Core.Ext2;

internal sealed class Ext2FileContent(IExt2TreeSource source, IBlockSink output, int blockSize)
{
    private const int ChunkBytes = 256 * 1024;

    private byte[]? _chunk;

    public long ContentBytes { get; private set; }
    public long HoleBlocks { get; private set; }

    /// <summary>Writes <paramref name="file"/>'s content through <paramref name="map"/>, the file's block map.</summary>
    public void Write(Ext2TreeEntry file, Ext2BlockMap map)
    {
        _chunk ??= new byte[ChunkBytes];
        var chunk = _chunk;
        var bs = blockSize;
        using var content = Ext2Content.Open(source, file);
        long offset = 0, logical = 0;
        while (offset < file.Size)
        {
            var want = (int)Math.Min(ChunkBytes, file.Size - offset);
            Ext2Content.ReadChunk(file, content, offset, chunk.AsSpan(0, want));
            var blocks = (want + bs - 1) / bs;
            chunk.AsSpan(want, blocks * bs - want).Clear();
            var runStart = -1;    // first block of the pending run in the chunk
            uint runPhysical = 0;
            var runLength = 0;
            for (var b = 0; b < blocks; b++, logical++)
            {
                var data = chunk.AsSpan(b * bs, bs);
                if (!data.ContainsAnyExcept((byte)0))
                {
                    HoleBlocks++;
                    continue;
                }
                var physical = map.Map(logical);
                if (runLength > 0 && runStart + runLength == b && runPhysical + runLength == physical) { runLength++; continue; }
                if (runLength > 0) output.WriteBlock(runPhysical, chunk.AsSpan(runStart * bs, runLength * bs));
                (runStart, runPhysical, runLength) = (b, physical, 1);
            }
            if (runLength > 0) output.WriteBlock(runPhysical, chunk.AsSpan(runStart * bs, runLength * bs));
            offset += want;
        }
        Ext2Content.CheckEnd(file, content, chunk);
        ContentBytes += file.Size;
    }
}
