// The two extroot pivots on their own, each then exec'ing PROGRAM (default: return):
//   `preinit pivot-overlay STICKMOUNT [PROGRAM...]`: an overlay of the current root with its upper
//     layer on the mounted stick becomes /, the old root goes to /rom; with --changes-in-ram the
//     stick is only read (its saved changes over the old root) and new changes go to RAM;
//   `preinit pivot-root NEWROOT [PROGRAM...]`: the mounted stick itself becomes / (target /);
//   `preinit pivot-ram [--size SIZE] [PROGRAM...]`: an overlay of the current root with its changes
//     on a tmpfs becomes / (OpenWrt's ramoverlay; boot's RAM-only session).
using System.CommandLine;
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;
using Preinit.Core.Configuration;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class PivotVerbs
{
    public static Command Overlay()
    {
        var stick = new Argument<string>("STICKMOUNT") { Description = "where the stick is mounted, e.g. /storage" };
        var inRam = new Option<bool>("--changes-in-ram")
        {
            Description = $"leave the stick unchanged: its saved changes (upper/) are a read-only layer, new changes go to RAM ({OverlayPivotRequest.RamLayer})",
        };
        var command = new Command("pivot-overlay", "make an overlay of / with its upper layer on the stick the new root (old root at /rom)") { stick, inRam };
        return WithProgram(command, result =>
        {
            var mount = result.GetValue(stick)!;
            if (InputPath.MountedDirectory(mount, "stick") is { } problem) throw new InvalidOperationException(problem);
            OverlayPivot.Run(new OverlayPivotRequest(Path.GetFullPath(mount), ChangesInRam: result.GetValue(inRam)), Log);
        });
    }

    public static Command Ram()
    {
        var size = new Option<string>("--size")
        {
            Description = "the tmpfs's size: SIZE (K/M/G) or N% of RAM", DefaultValueFactory = _ => RamOverlaySize.Default.TmpfsSize!,
        };
        var command = new Command("pivot-ram", $"make an overlay of / with its changes on a tmpfs ({OverlayPivotRequest.RamLayer}) the new root (old root at /rom)") { size };
        return WithProgram(command, result =>
        {
            var text = result.GetValue(size)!;
            if (!RamOverlaySize.TryParse(text, out var ramSize) || ramSize.Off)
                throw new InvalidOperationException($"--size {text} is not a size of at least 1M or a share of RAM (1% to 100%); examples: 256M, 50%");
            OverlayPivot.Run(OverlayPivotRequest.RamOnly(ramSize.TmpfsSize), Log);
        });
    }

    public static Command WholeRoot()
    {
        var newRoot = new Argument<string>("NEWROOT") { Description = "where the stick holding a whole root filesystem is mounted, e.g. /mnt" };
        var init = new Option<string>("--init") { Description = "the init the new root must have", DefaultValueFactory = _ => "/sbin/init" };
        var command = new Command("pivot-root", "make a mounted stick the whole root (extroot target /), old root at /rom") { newRoot, init };
        return WithProgram(command, result =>
        {
            var root = result.GetValue(newRoot)!;
            if (InputPath.MountedDirectory(root, "stick holding the root") is { } problem) throw new InvalidOperationException(problem);
            WholeRootPivot.Run(Path.GetFullPath(root), result.GetValue(init)!, Log);
        });
    }

    private static void Log(string line) => Console.Error.WriteLine(line);

    private static Command WithProgram(Command command, Action<ParseResult> pivot)
    {
        var exec = new Argument<string[]>("PROGRAM") { Description = "program and arguments to exec afterwards", Arity = ArgumentArity.ZeroOrMore };
        command.Add(exec);
        command.SetAction(result =>
        {
            try
            {
                pivot(result);
                var program = result.GetValue(exec) ?? [];
                if (program.Length > 0)
                    Libc.Execve(program[0], program, ChildProcess.CurrentEnvironment());
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
