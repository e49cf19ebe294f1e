// The options several verbs share: the configuration's layers and the fstab.
using System.CommandLine;
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;

namespace Preinit.Cli.Verbs;

/// <summary>Options shared by the verbs that read the configuration, so its layers can be tried without booting, or fstab.</summary>
public static class ConfigOptions
{
    public static Option<string> Fstab() =>
        new("--fstab") { Description = "the UCI fstab to read", DefaultValueFactory = _ => FstabFile.DefaultPath };

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
        if (hooks is not null && InputPath.Directory(hooks, "hook directory") is { } problem)
            throw new ArgumentException($"--hook-dir {problem}");
        return HostInputs.FromSystem(booting: false, result.GetValue(commandLine), result.GetValue(conf), hooks,
            sourceHookFiles is null || result.GetValue(sourceHookFiles));
    }
}
