// Reads a gzip'd tar archive through once without writing anything, so that a truncated or corrupt
// archive is found before a single file of it is restored: half a configuration (network restored,
// wireless not) is worse than none.
using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;

namespace Preinit.Boot.Restore;

public static class TarGzCheck
{
    /// <summary>The gzip trailer: CRC-32 then ISIZE (RFC 1952 section 2.3).</summary>
    private const int TrailerBytes = 8;

    /// <returns>Null when every header and every byte of data is there and the gzip trailer matches;
    /// otherwise what is wrong, naming the archive and the entry where it went wrong.</returns>
    public static string? Problem(string archive)
    {
        using var file = Platform.RegularFile.OpenRead(archive);
        if (file.Length < 18) return $"{archive} is {file.Length} bytes, too short to be a gzip'd tar archive (truncated?)";
        var trailer = new byte[TrailerBytes];
        file.Seek(-TrailerBytes, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);

        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var counted = new CountingStream(gzip);
        var entries = 0;
        string? last = null;
        var inData = false;
        var atEnd = false;
        try
        {
            using var reader = new TarReader(counted);
            while (reader.GetNextEntry() is { } entry)
            {
                entries++;
                last = entry.Name;
                inData = true;
                CopyData(entry, Stream.Null);
                inData = false;
            }
            // What follows the end-of-archive blocks (tar pads to its record size), so that the
            // decompressor reaches the trailer and checks the CRC.
            atEnd = true;
            counted.CopyTo(Stream.Null);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            var where = atEnd ? $"its end, after entry {entries} '{last}'"
                : inData ? $"the data of entry {entries} '{last}'"
                : last is null ? "the first header" : $"the header after entry {entries} '{last}'";
            var what = e is EndOfStreamException && !inData ? $"it ends early (truncated after {counted.Count} bytes unpacked)" : e.Message;
            return $"{archive} is truncated or corrupt in {where}: {what}";
        }
        catch (NotSupportedException e)
        {
            // .NET's reader refuses a GNU sparse member (type 'S') before returning it, so its name is not known.
            return $"{archive} holds a member that cannot be restored, after entry {entries} '{last}': {e.Message} " +
                "(a GNU sparse file, as tar --sparse writes it; unpack the archive by hand with tar)";
        }
        // .NET checks the CRC when the trailer is there but says nothing when the file ends before it.
        // ISIZE is the uncompressed length modulo 2^32; a cut-off file ends in compressed data instead.
        // This assumes one gzip member, as gzip(1), tar -z and busybox tar write.
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
        if (size != (uint)counted.Count)
            return $"{archive} ends without its gzip trailer (truncated after entry {entries} '{last}'): " +
                $"{counted.Count} bytes unpacked, the trailer says {size}";
        return null;
    }

    /// <summary>Copies the member's data, all of it: a member's data stream just ends early when the
    /// archive is cut off in it, and only the next header would notice.</summary>
    /// <exception cref="EndOfStreamException">The archive ends inside the data.</exception>
    public static void CopyData(TarEntry entry, Stream output)
    {
        if (entry.DataStream is not { } data) return;
        var buffer = new byte[81920];
        long copied = 0;
        int n;
        while ((n = data.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
            copied += n;
        }
        if (copied != entry.Length)
            throw new EndOfStreamException($"the data ends after {copied} of its {entry.Length} bytes (truncated)");
    }

    /// <summary>Passes reads through and counts the bytes. A decompressor error is said in words here:
    /// .NET calls a CRC mismatch "compressed using an unsupported compression method".</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try { n = inner.Read(buffer); }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"the gzip data is damaged (bad CRC, bad deflate data or not gzip at all: {e.Message})", e);
            }
            Count += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
