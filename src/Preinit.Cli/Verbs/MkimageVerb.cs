// `preinit mkimage DIR IMAGE`: write an ext2 image of a directory tree directly (Ext2ImageBuilder):
// sized for a headroom or to an exact --size, no mkfs, no mount, no root. With --uuid and --time
// (or SOURCE_DATE_EPOCH) the same tree gives the same bytes.
using System.CommandLine;
using System.Text;
using Preinit.Boot.Ext2;
using Preinit.Boot.Platform;
using Preinit.Core.Sizes;

namespace Preinit.Cli.Verbs;

public static class MkimageVerb
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "directory tree to put in the image" };
        var image = new Argument<string>("IMAGE") { Description = "image file to write (replaced if it exists)" };
        var size = new Option<string?>("--size") { Description = "exact image size (K/M/G); fails if the tree does not fit" };
        var headroom = new Option<string?>("--headroom") { Description = "free space to leave: SIZE (K/M/G), N% or auto " +
            "(the default: max of 512K and 10%)" };
        var label = new Option<string>("--label") { Description = "volume label, at most 16 bytes", DefaultValueFactory = _ => "" };
        var uuid = new Option<string?>("--uuid") { Description = "filesystem UUID (default: random)" };
        var time = new Option<string?>("--time") { Description = "unix seconds for the superblock and lost+found " +
            "(default: $SOURCE_DATE_EPOCH, else now)" };
        var blockSize = new Option<string?>("--block-size") { Description = "1024, 2048 or 4096 (default: " +
            "1024, 4096 above 256 MiB of files)" };
        var command = new Command("mkimage", "write an ext2 image of a directory tree directly: no mkfs, no mount, no root needed")
        {
            dir, image, size, headroom, label, uuid, time, blockSize,
        };
        command.SetAction(result =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            int Fail(string message) => Verb.Fail(error, message);
            var options = new Ext2ImageOptions { Label = result.GetValue(label)! };
            var sizeText = result.GetValue(size);
            var headroomText = result.GetValue(headroom);
            if (sizeText is not null && headroomText is not null) return Fail("--size and --headroom exclude each other");
            if (sizeText is not null)
            {
                if (!ByteSize.TryParse(sizeText, out var bytes) || bytes == 0)
                    return Fail($"--size '{sizeText}' is not a size (examples: 64M, 512K, 1G)");
                options = options with { SizeBytes = bytes };
            }
            if (headroomText is not null)
            {
                if (!Headroom.TryParse(headroomText, out var room))
                    return Fail($"--headroom '{headroomText}' is not a size (examples: 4M, 512K, 15%, auto)");
                options = options with { Headroom = room };
            }
            if (Encoding.UTF8.GetByteCount(options.Label) > 16) return Fail($"--label '{options.Label}' is longer than 16 bytes");
            if (result.GetValue(uuid) is { } uuidText)
            {
                if (!Guid.TryParse(uuidText, out var parsed))
                    return Fail($"--uuid '{uuidText}' is not a UUID (example: 0b1c5f9e-2d4a-4c8e-9f00-123456789abc)");
                options = options with { Uuid = parsed };
            }
            var timeText = result.GetValue(time) ?? Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
            if (timeText is not null)
            {
                if (!long.TryParse(timeText, System.Globalization.NumberStyles.AllowLeadingSign, null, out var seconds))
                    return Fail($"--time '{timeText}' is not a number of seconds since 1970");
                options = options with { Time = seconds };
            }
            if (result.GetValue(blockSize) is { } bsText)
            {
                if (bsText is not ("1024" or "2048" or "4096")) return Fail($"--block-size '{bsText}' is not 1024, 2048 or 4096");
                options = options with { BlockSize = int.Parse(bsText) };
            }
            if (options.SizeBytes is { } s && s % (options.BlockSize ?? 1024) != 0)
                return Fail($"--size {sizeText} is not a whole number of KiB");

            if ((InputPath.Directory(result.GetValue(dir)!) ?? InputPath.NewFile(result.GetValue(image)!, "image")) is { } problem)
                return Fail(problem);
            try
            {
                var built = Ext2ImageBuilder.Write(result.GetValue(dir)!, result.GetValue(image)!, options);
                output.WriteLine($"image {built.ImagePath}: {built.ImageBytes} bytes ({ByteSize.Human(built.ImageBytes)}), " +
                    $"{built.BlockSize / 1024} KiB blocks, {Count(built.Entries, "entry", "entries")}, " +
                    $"{Count(built.Files, "file", "files")}, {ByteSize.Human(built.ContentBytes)} of content, " +
                    $"{ByteSize.Human(built.FreeBytes)} and {built.FreeInodes} inodes free, {built.Elapsed.TotalMilliseconds:0} ms");
                return 0;
            }
            catch (Preinit.Core.Ext2.Ext2SizeException e) { return Fail($"--size {sizeText}: {e.Message}"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                return Fail(e.Message);
            }
        });
        return command;
    }

    private static string Count(long n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
