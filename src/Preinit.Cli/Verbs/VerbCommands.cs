// The debugging verbs: `preinit VERB`. Each verb is a class; output goes to stdout, problems to
// stderr as "Error: ...", and the exit code says whether it worked.
using System.CommandLine;

namespace Preinit.Cli.Verbs;

public static class VerbCommands
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("preinit: early-boot userland of the Live CD (stage 1 as /init, stage 2 as /etc/preinit) and its debugging tool.")
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
        };
        // No response files: "@mount[0].label" is a UCI section, not a file of arguments.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        TypoSuggestions.Write(result);
        return result.Invoke();
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

    public static HostInputs Inputs(ParseResult result, Option<string?> commandLine, Option<string?> conf,
        Option<string?>? hookDirectory = null, Option<bool>? sourceHookFiles = null) =>
        HostInputs.FromSystem(booting: false, result.GetValue(commandLine), result.GetValue(conf),
            hookDirectory is null ? null : result.GetValue(hookDirectory), sourceHookFiles is null || result.GetValue(sourceHookFiles));
}
