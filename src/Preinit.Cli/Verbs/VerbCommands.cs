// The debugging verbs: `preinit VERB`. Each verb is a class; output goes to stdout, problems to
// stderr as "Error: ...", and the exit code says whether it worked.
using System.CommandLine;
using Preinit.Boot.Platform;

namespace Preinit.Cli.Verbs;

public static class VerbCommands
{
    /// <summary>Every verb, as the command tree System.CommandLine parses (tests walk it, so no verb is left out).</summary>
    public static RootCommand Root() =>
        new("preinit: early-boot userland of the Live CD (stage 1 as /init, stage 2 as /etc/preinit) and its debugging tool.")
        {
            VersionVerb.Create(),
            CmdlineVerb.Create(),
            HooksVerb.Create(),
            PlanVerb.Create(),
            BuildRootVerb.Create(),
            SwitchRootVerb.Create(),
            MkimageVerb.Create(),
            MkliveVerb.Create(),
            ProbeVerb.Create(),
            FindVerb.Create(),
            WaitVerb.Create(),
            LabelVerb.Create(),
            ModuleVerbs.Modprobe(),
            ModuleVerbs.ColdplugCommand(),
            FsckVerb.Create(),
            PivotVerbs.Overlay(),
            PivotVerbs.WholeRoot(),
            PivotVerbs.Ram(),
            UciVerb.Create(),
            ExtrootVerb.Create(),
            MountVerb.Create(),
            HotplugVerb.Create(),
            FailsafeVerb.Create(),
            RunHookVerb.Create(),
            NetmsgVerb.Create(),
            InstallVerb.Create(),
            StickVerb.Create(),
            PersistVerb.Create(),
            LogVerb.Create(),
        };

    public static int Run(string[] args)
    {
        var root = Root();
        // No response files: "@mount[0].label" is a UCI section, not a file of arguments.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0 && result.Action is System.CommandLine.Invocation.ParseErrorAction) return UsageErrors.Write(result, root);
        try { return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }); }
        catch (Exception e)
        {
            // What no verb foresaw still ends in one line, never a stack of addresses; PREINIT_DEBUG=1 shows the stack.
            Console.Error.WriteLine($"Error: {e.Message}");
            if (Environment.GetEnvironmentVariable("PREINIT_DEBUG") == "1") Console.Error.WriteLine(e);
            return 1;
        }
    }
}

/// <summary>Options shared by the verbs that read the configuration, so its layers can be tried without booting.</summary>
public static class ConfigOptions
{
    public static Option<string?> CommandLine() => new("--cmdline")
    {
        Description = "kernel command line to use instead of /proc/cmdline",
    };

    public static Option<string?> Conf() => new("--conf")
    {
        Description = $"settings file to use instead of {HostInputs.DefaultConfPath}",
    };

    public static Option<string?> HookDirectory() => new("--hook-dir")
    {
        Description = $"directory of other packages' shell hook files, instead of {HostInputs.DefaultHookDirectory}",
    };

    public static Option<bool> SourceHookFiles() => new("--source-hook-files")
    {
        Description = "source the shell hook files of other packages to show what they add (they are shell code, run as this user)",
    };

    /// <exception cref="ArgumentException">A hook directory was given that is not one (the verb ends with its message).</exception>
    public static HostInputs Inputs(ParseResult result, Option<string?> commandLine, Option<string?> conf,
        Option<string?>? hookDirectory = null, Option<bool>? sourceHookFiles = null)
    {
        var hooks = hookDirectory is null ? null : result.GetValue(hookDirectory);
        if (hooks is not null && InputPath.Directory(hooks, "hook directory") is { } problem) throw new ArgumentException($"--hook-dir {problem}");
        return HostInputs.FromSystem(booting: false, result.GetValue(commandLine), result.GetValue(conf), hooks,
            sourceHookFiles is null || result.GetValue(sourceHookFiles));
    }
}
