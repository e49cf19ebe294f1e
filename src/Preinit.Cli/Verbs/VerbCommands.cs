// The debugging verbs: `preinit VERB`. Each verb is a class (Verb); output goes to stdout, problems
// to stderr as "Error: ...", and the exit code says whether it worked.
using System.CommandLine;

namespace Preinit.Cli.Verbs;

public static class VerbCommands
{
    /// <summary>Every verb, as the command tree System.CommandLine parses (tests walk it, so no verb is left out).</summary>
    public static RootCommand Root() =>
        new("preinit: early-boot userland of the Live CD (stage 1 as /init, stage 2 as /etc/preinit) and its debugging tool.")
        {
            new VersionVerb(),
            new CmdlineVerb(),
            new HooksVerb(),
            PlanVerb.Create(),
            BuildRootVerb.Create(),
            new SwitchRootVerb(),
            MkimageVerb.Create(),
            new MkliveVerb(),
            new ProbeVerb(),
            new FindVerb(),
            new WaitVerb(),
            new LabelVerb(),
            new ModprobeVerb(),
            new ColdplugVerb(),
            new FsckVerb(),
            new PivotOverlayVerb(),
            new PivotRootVerb(),
            new PivotRamVerb(),
            new UciVerb(),
            new ExtrootVerb(),
            new MountVerb(),
            new HotplugVerb(),
            new FailsafeVerb(),
            new RunHookVerb(),
            new NetmsgVerb(),
            new InstallVerb(),
            new StickVerb(),
            new PersistVerb(),
            new LogVerb(),
        };

    /// <param name="output">Where the verbs and --help write (default: stdout).</param>
    /// <param name="error">Where errors and warnings go (default: stderr).</param>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Root();
        // No response files: "@mount[0].label" is a UCI section, not a file of arguments.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0 && result.Action is System.CommandLine.Invocation.ParseErrorAction)
            return UsageErrors.Write(result, root, error);
        try { return result.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }); }
        catch (Exception e)
        {
            // What no verb foresaw still ends in one line, never a stack of addresses; PREINIT_DEBUG=1 shows the stack.
            error.WriteLine($"Error: {e.Message}");
            if (Environment.GetEnvironmentVariable("PREINIT_DEBUG") == "1") error.WriteLine(e);
            return 1;
        }
    }
}
