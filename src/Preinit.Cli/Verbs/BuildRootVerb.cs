// `preinit build-root --from DIR --image FILE`: stage 1's image work on any directory (size,
// format, attach, mount, copy, detach) and its figures. Needs root (loop device, mount).
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Image;
using Preinit.Core.Configuration;
using Preinit.Core.Sizes;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class BuildRootVerb
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "directory tree to put in the image", Required = true };
        var image = new Option<string>("--image") { Description = "image file to write", Required = true };
        var headroom = new Option<string>("--headroom") { Description = "free space to leave: SIZE (K/M/G), N% or auto",
            DefaultValueFactory = _ => "auto" };
        var method = new Option<string>("--method") { Description = "write (the ext2 image directly, " +
            "the default) or copy (mke2fs, mount, copy)", DefaultValueFactory = _ => "write" };
        var command = new Command("build-root", "build stage 1's ext2 root image from a directory and report size, tries and time") { from,
            image, headroom, method };
        command.SetAction(result =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            int Fail(string message) => Verb.Fail(error, message);
            if (!Headroom.TryParse(result.GetValue(headroom)!, out var room))
                return Fail($"--headroom '{result.GetValue(headroom)}' is not a size (examples: 4M, 512K, 15%, auto)");
            if (!Enum.TryParse<ImageMethod>(result.GetValue(method), ignoreCase: true, out var how) || !Enum.IsDefined(how))
                return Fail($"--method '{result.GetValue(method)}' is not write or copy");
            var source = result.GetValue(from)!;
            if (InputPath.Directory(source) is { } notADirectory) return Fail($"--from {notADirectory}");
            var imagePath = Path.GetFullPath(result.GetValue(image)!);
            if (InputPath.NewFile(imagePath, "image") is { } notWritable) return Fail(notWritable);
            var mountPoint = Directory.CreateTempSubdirectory("preinit-build-root.").FullName;
            try
            {
                var request = new RootImageRequest(source, imagePath, mountPoint, room, ["storage"], how);
                var built = new RootImageBuilder(line => error.WriteLine(line)).Build(request, out var loop);
                Libc.Umount2(mountPoint, 0);
                loop.Detach();
                output.WriteLine($"image {imagePath}: {built.ImageBytes} bytes ({ByteSize.Human(built.ImageBytes)}), " +
                    $"{built.Files} files, {ByteSize.Human(built.TreeBytes)} copied, {ByteSize.Human(built.FreeBytes)} free, " +
                    $"{built.Tries} {(built.Tries == 1 ? "try" : "tries")}, " +
                    $"{(built.Method == ImageMethod.Write ? "written" : "mke2fs + copy")}, {built.Elapsed.TotalMilliseconds:0} ms");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                return Fail(e.Message);
            }
            finally { Directory.Delete(mountPoint); }
        });
        return command;
    }
}
