// A directory's blocks as the writer fills them: entry by entry (an entry never spans blocks; the last
// one of a block reaches its end), each full block handed to the inode's block map and written.
// Reused directory after directory.
namespace Preinit.Core.Ext2;

internal sealed class Ext2DirectoryBlocks(IBlockSink sink, Ext2BlockMap map, int blockSize)
{
    private readonly byte[] _block = new byte[blockSize];
    private int _at, _last = -1;
    private long _logical;

    public void Reset() => (_at, _last, _logical) = (0, -1, 0);

    public void Add(uint inode, ReadOnlySpan<byte> name, Ext2FileType type)
    {
        var rec = Ext2DirEntry.RecordLength(name.Length);
        if (_at + rec > _block.Length) Emit();
        if (_at == 0) Array.Clear(_block);
        Ext2DirEntry.Write(_block, _at, inode, rec, name, type);
        _last = _at;
        _at += rec;
    }

    /// <summary>Writes the last block, then empty ones up to <paramref name="minimumBlocks"/>; returns the block count.</summary>
    public long Finish(int minimumBlocks)
    {
        if (_at > 0) Emit();
        while (_logical < minimumBlocks)
        {
            Array.Clear(_block);
            Ext2DirEntry.Write(_block, 0, 0, _block.Length, [], null);
            _last = 0;
            _at = _block.Length;
            Emit();
        }
        return _logical;
    }

    private void Emit()
    {
        Ext2DirEntry.SetRecordLength(_block, _last, _block.Length - _last);
        sink.WriteBlock(map.Map(_logical++), _block);
        _at = 0;
    }
}
