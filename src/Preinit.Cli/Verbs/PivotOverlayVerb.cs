// `preinit pivot-overlay STICKMOUNT [--exec PROGRAM ARGS...]`: the extroot pivot on its own: an
// overlay of the current root with its upper layer on the mounted stick becomes /, the old root
// goes to /rom. Then PROGRAM is exec'd (default: return).
using System.CommandLine;
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class PivotOverlayVerb
{
    public static Command Create()
    {
        var stick = new Argument<string>("STICKMOUNT") { Description = "where the stick is mounted, e.g. /storage" };
        var exec = new Argument<string[]>("PROGRAM") { Description = "program and arguments to exec afterwards", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("pivot-overlay", "make an overlay of / with its upper layer on the stick the new root (old root at /rom)") { stick, exec };
        command.SetAction(result =>
        {
            try
            {
                OverlayPivot.Run(new OverlayPivotRequest(Path.GetFullPath(result.GetValue(stick)!)), line => Console.Error.WriteLine(line));
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
