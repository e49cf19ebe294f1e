// Bad input never hurts: every real image of the probing tests, mutated tens of thousands of times in
// the bytes the probers read (and anywhere in the first 128 KiB), truncated, and pure random bytes with
// planted magics. Each probe must return normally, read nothing past the end of the source, allocate a
// bounded amount and read a bounded amount (no endless loop). Seeded, so a failure names a case that can be replayed.
using System.Buffers.Binary;
using System.Diagnostics;
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Preinit.Tests.Unit.Probing;

[Collection(ProbingImagesCollection.Name)]
public class ProbingFuzzTests(ProbingImages images, ITestOutputHelper output)
{
    private const int Seed = 1985;
    private static readonly int CasesPerImage = 1200 * FuzzCases.Scale, RandomCases = 6000 * FuzzCases.Scale;
    private const int Window = 128 * 1024;        // mutations anywhere land in the first 128 KiB
    private const long MaxAllocatedPerCase = 32L << 20;
    /// <summary>What one probe may read: a prober looping on a mutated count reads without end long before a test times out.
    /// (Bytes, not seconds: the bound must not depend on how busy the machine is.)</summary>
    private const long MaxReadPerCase = 64L << 20;

    [Fact]
    public void Probers_MutatedRealImages_ReturnNormallyInsideTheSource()
    {
        // Images whose tools are missing are left out on a developer machine; in CI they are made (or fail).
        var recipes = ProbingImages.All.Where(r => Tier.RequireAll || Tier.ToolsMissing(r.Tools) is null).ToList();
        foreach (var r in recipes) images.Get(r);   // made up front, outside the timed part
        var clock = Stopwatch.StartNew();
        var recognised = new int[recipes.Count];
        Parallel.For(0, recipes.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => recognised[i] = FuzzImage(recipes[i], images.Get(recipes[i]), Seed + i));
        var random = FuzzRandom(Seed - 1);
        clock.Stop();
        var total = recipes.Count * CasesPerImage + random;
        output.WriteLine($"{total} fuzz cases ({recipes.Count} images x {CasesPerImage}, " +
            $"{random} random) in {clock.Elapsed.TotalSeconds:0.0} s");
        // How deep the mutations reach: the share of mutated images still taken for their type.
        for (var i = 0; i < recipes.Count; i++)
            output.WriteLine($"  {recipes[i].Name}: {recognised[i]} of {CasesPerImage} mutations still probe as " +
                $"{recipes[i].Expect.Type ?? "nothing"}");
        Assert.True(total >= (Tier.RequireAll ? 40_000 : RandomCases), $"only {total} cases ran");
    }

    /// <summary>Runs the cases on one image; returns how many mutated copies still probed as the original type.</summary>
    private static int FuzzImage(ImageRecipe recipe, string path, int seed)
    {
        FuzzSource source;
        using (var file = FileBlockSource.Open(path))
        {
            source = FuzzSource.Load(file);
            // The unmutated copy must probe as the file does, or the mutations would miss the real paths.
            source.Log = [];
            Assert.Equal(FilesystemProbe.Probe(file), FilesystemProbe.Probe(source));
            Assert.Equal(Describe(PartitionTableProbe.Probe(file)), Describe(PartitionTableProbe.Probe(source)));
        }
        var hot = source.Log.Distinct().ToArray();
        source.Log = null;
        var gpt = source.Bytes(512, 8).AsSpan().SequenceEqual("EFI PART"u8);

        var random = new Random(seed);
        var same = 0;
        for (var c = 0; c < CasesPerImage; c++)
        {
            var op = random.Next(gpt ? 9 : 8);
            Mutate(op, source, hot, random);
            if (Run(source, $"{recipe.Name} case {c} op {op} (seed {seed})")?.Type == recipe.Expect.Type) same++;
            source.Undo();
        }
        return same;
    }

    /// <summary>One mutation: bit flips, odd values, random runs, zeroed runs, splices, truncation, or (GPT) field
    /// changes with the CRCs fixed up so the deep checks run.</summary>
    private static void Mutate(int op, FuzzSource source, (long Offset, long Length)[] hot, Random random)
    {
        var length = source.Length;
        if (length == 0) return;
        long Position(int width)
        {
            if (hot.Length > 0 && random.Next(5) > 0)
            {
                var (o, l) = hot[random.Next(hot.Length)];
                return Math.Max(0, Math.Min(o + random.NextInt64(Math.Max(l, 1)), length - width));
            }
            return random.NextInt64(Math.Max(1, Math.Min(Window, length - width)));
        }
        switch (op)
        {
            case 0:   // flip 1-8 bits
                for (var n = random.Next(1, 9); n > 0; n--)
                {
                    var at = Position(1);
                    source[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 1:   // bytes to boundary values
                for (var n = random.Next(1, 5); n > 0; n--)
                    source[Position(1)] = (byte)(random.Next(5) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, 3 => 0x80,
                        _ => random.Next(256) });
                break;
            case 2:   // a 16/32/64-bit field to a boundary value, in either byte order
            {
                var width = 2 << random.Next(3);
                var at = Position(width) & ~(width - 1L);
                ulong value = random.Next(7) switch
                {
                    0 => 0, 1 => 1, 2 => ulong.MaxValue, 3 => 0x7FFFFFFF, 4 => 0x80000000, 5 => (ulong)random.Next(1, 4096),
                    _ => (ulong)random.NextInt64(),
                };
                var bytes = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                var field = bytes.AsSpan(0, width);
                if (random.Next(2) == 0) field.Reverse();   // big-endian formats (XFS, LUKS) too
                source.Write(at, field);
                break;
            }
            case 3:   // a random run
            {
                var run = new byte[random.Next(1, 65)];
                random.NextBytes(run);
                source.Write(Position(run.Length), run);
                break;
            }
            case 4:   // a zeroed run
            {
                var width = random.Next(16, 4097);
                source.Write(Position(width), new byte[width]);
                break;
            }
            case 5:   // a splice: one structure's bytes over another's
            {
                var width = random.Next(4, 257);
                source.Write(Position(width), source.Bytes(Position(width), width));
                break;
            }
            case 6:   // truncation, anywhere up to the end of a structure read
                source.Length = hot.Length > 0 && random.Next(2) == 0
                    ? Math.Clamp(hot[random.Next(hot.Length)].Offset + random.Next(-512, 4096), 0, length)
                    : random.NextInt64(length + 1);
                break;
            case 7:   // flips, then truncation
                Mutate(0, source, hot, random);
                Mutate(6, source, hot, random);
                break;
            case 8:   // GPT: header and entry fields to odd values, CRCs recomputed so they pass
            {
                var header = source.Bytes(512, 512);
                int[] fields = [12, 24, 32, 40, 48, 72, 80, 84];
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var f = fields[random.Next(fields.Length)];
                    var value = random.Next(4) switch { 0 => 0UL, 1 => ulong.MaxValue, 2 => (ulong)random.Next(0, 300_000),
                        _ => (ulong)random.NextInt64() };
                    if (f is 12 or 80 or 84) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(f), (uint)value);
                    else BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(f), value);
                }
                var entriesAt = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(72));
                var entriesLength = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(80)) *
                    BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(84));
                if (entriesAt < (ulong)length / 512 && entriesLength is > 0 and <= 1 << 20 && (long)entriesAt * 512 +
                    (long)entriesLength <= length)
                {
                    var entries = source.Bytes((long)entriesAt * 512, (int)entriesLength);
                    for (var n = random.Next(0, 4); n > 0 && entries.Length >= 128; n--)
                        BinaryPrimitives.WriteUInt64LittleEndian(entries.AsSpan(random.Next(entries.Length / 128) * 128 + 32 +
                            8 * random.Next(2)), (ulong)random.NextInt64());
                    source.Write((long)entriesAt * 512, entries);
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(88), Crc(entries));
                }
                var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
                if (size is >= 92 and <= 512)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 0);
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc(header.AsSpan(0, size)));
                }
                source.Write(512, header);
                break;
            }
        }
    }

    /// <summary>Random bytes of random lengths, with the magics of every format planted where the probers look.</summary>
    private static int FuzzRandom(int seed)
    {
        (int Offset, byte[] Magic)[] magics =
        [
            (1024 + 0x38, [0x53, 0xEF]), (0x52, "FAT32   "u8.ToArray()), (0x36, "FAT16   "u8.ToArray()), (0, [0xEB, 0x3C, 0x90]),
            (510, [0x55, 0xAA]), (3, "EXFAT   "u8.ToArray()), (3, "NTFS    "u8.ToArray()), (0x10040, "_BHRfS_M"u8.ToArray()),
            (1024, [0x10, 0x20, 0xF5, 0xF2]), (0, "XFSB"u8.ToArray()), (0xFF6, "SWAPSPACE2"u8.ToArray()), (0, "hsqs"u8.ToArray()),
            (0x8001, "CD001"u8.ToArray()), (0x8801, "CD001"u8.ToArray()), (1024, [0xE2, 0xE1, 0xF5, 0xE0]), (0, [0x85, 0x19]),
            (0, [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xBA, 0xBE]),
                (0x4000, [(byte)'S', (byte)'K', (byte)'U', (byte)'L', 0xBA, 0xBE]),
            (512, "EFI PART"u8.ToArray()), (446 + 4, [0xEE]), (446 + 4, [0x05]),
            // UDF: a recognition sequence at 32 KiB and an anchor (tag 2 naming its own sector, 256) for 512-byte blocks.
            (0x8001, "BEA01"u8.ToArray()), (0x8801, "NSR02"u8.ToArray()), (0x9001, "NSR03"u8.ToArray()),
            (256 * 512, [0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0, 0]),
        ];
        var random = new Random(seed);
        for (var c = 0; c < RandomCases; c++)
        {
            var data = new byte[random.Next(4) switch { 0 => random.Next(0, 2048), 1 => random.Next(2048, 70_000),
                _ => random.Next(70_000, 300_000) }];
            if (random.Next(3) > 0) random.NextBytes(data);
            for (var n = random.Next(0, 6); n > 0; n--)
            {
                var (at, magic) = magics[random.Next(magics.Length)];
                if (at + magic.Length <= data.Length) magic.CopyTo(data, at);
            }
            Run(FuzzSource.From(data), $"random case {c} (seed {seed})");
        }
        return RandomCases;
    }

    private static ProbeResult? Run(FuzzSource source, string what)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var read = source.BytesRead;
        ProbeResult? found = null;
        try
        {
            found = FilesystemProbe.Probe(source);
            PartitionTableProbe.Probe(source);
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e}");
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        read = source.BytesRead - read;
        Assert.True(source.Violations == 0, $"{what}: {source.Violations} reads past the end of a {source.Length}-byte source");
        Assert.True(allocated <= MaxAllocatedPerCase, $"{what}: allocated {allocated} bytes");
        Assert.True(read <= MaxReadPerCase, $"{what}: read {read} bytes");
        return found;
    }

    private static string Describe((string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? table) =>
        table is { } t ? $"{t.Type} {t.Uuid} {string.Join(", ", t.Partitions)}" : "none";

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>An image in memory, kept as its nonzero 64 KiB blocks (so a sparse 300 MiB image costs what it holds),
    /// writable byte by byte with an undo log, whose length a case may cut; it counts any read a prober asks for
    /// past the end.</summary>
    private sealed class FuzzSource : IBlockSource
    {
        private const int BlockSize = 1 << 16;
        private readonly Dictionary<long, byte[]> blocks = [];
        private readonly List<(long Offset, byte Old)> undo = [];
        private readonly long fullLength;

        private FuzzSource(long length) => Length = fullLength = length;

        public long Length { get; set; }
        public int Violations { get; private set; }
        public long BytesRead { get; private set; }
        public List<(long Offset, long Length)>? Log { get; set; }

        public static FuzzSource Load(IBlockSource file)
        {
            var source = new FuzzSource(file.Length);
            var block = new byte[BlockSize];
            for (long at = 0; at < file.Length; at += BlockSize)
            {
                var n = file.Read(at, block);
                if (block.AsSpan(0, n).IndexOfAnyExcept((byte)0) >= 0)
                    source.blocks[at / BlockSize] = block.AsSpan(0, n).ToArray().Concat(new byte[BlockSize - n]).ToArray();
            }
            return source;
        }

        public static FuzzSource From(byte[] data)
        {
            var source = new FuzzSource(data.Length);
            source.Write(0, data);
            source.undo.Clear();
            return source;
        }

        public byte this[long at]
        {
            get => blocks.TryGetValue(at / BlockSize, out var b) ? b[at % BlockSize] : (byte)0;
            set
            {
                if (at < 0 || at >= fullLength) return;
                if (!blocks.TryGetValue(at / BlockSize, out var b)) blocks[at / BlockSize] = b = new byte[BlockSize];
                undo.Add((at, b[at % BlockSize]));
                b[at % BlockSize] = value;
            }
        }

        public void Write(long at, ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++) this[at + i] = bytes[i];
        }

        public byte[] Bytes(long at, int count)
        {
            var bytes = new byte[count];
            for (var i = 0; i < count; i++) bytes[i] = this[at + i];
            return bytes;
        }

        public void Undo()
        {
            for (var i = undo.Count - 1; i >= 0; i--) blocks[undo[i].Offset / BlockSize][undo[i].Offset % BlockSize] = undo[i].Old;
            undo.Clear();
            Length = fullLength;
        }

        public int Read(long offset, Span<byte> buffer)
        {
            if (offset < 0 || offset > Length - buffer.Length) Violations++;
            if (offset < 0 || offset >= Length) return 0;
            var n = (int)Math.Min(buffer.Length, Length - offset);
            BytesRead += n;
            Log?.Add((offset, n));
            for (var done = 0; done < n;)
            {
                var at = offset + done;
                var inBlock = (int)Math.Min(n - done, BlockSize - at % BlockSize);
                if (blocks.TryGetValue(at / BlockSize, out var b)) b.AsSpan((int)(at % BlockSize), inBlock).CopyTo(buffer[done..]);
                else buffer.Slice(done, inBlock).Clear();
                done += inBlock;
            }
            return n;
        }
    }
}
