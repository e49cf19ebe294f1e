// Read-only random access to a device, an image file or bytes in memory: all the probers see.
namespace Preinit.Core.Probing;

/// <summary>Read-only random access to a device or image. Read returns the bytes read (fewer at the end,
/// 0 past it) and never throws for offsets past the end.</summary>
public interface IBlockSource
{
    long Length { get; }
    int Read(long offset, Span<byte> buffer);
}

/// <summary>An in-memory source (tests, fuzzing).</summary>
public sealed class ByteSource(ReadOnlyMemory<byte> bytes) : IBlockSource
{
    public long Length => bytes.Length;

    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= bytes.Length) return 0;
        var available = bytes.Span[(int)offset..];
        var n = Math.Min(available.Length, buffer.Length);
        available[..n].CopyTo(buffer);
        return n;
    }
}

/// <summary>A window of another source: a partition of a disk. The window ends where the disk does, so a
/// partition table entry that claims more than the disk holds cannot make a prober read past it.</summary>
public sealed class SliceSource : IBlockSource
{
    private readonly IBlockSource inner;
    private readonly long offset;

    public SliceSource(IBlockSource inner, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.inner = inner;
        this.offset = offset;
        Length = offset >= inner.Length ? 0 : Math.Min(length, inner.Length - offset);
    }

    public long Length { get; }

    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length) return 0;
        var n = (int)Math.Min(buffer.Length, Length - offset);
        return inner.Read(this.offset + offset, buffer[..n]);
    }
}
