// The bridge to hook files other packages install in /lib/preinit (shell, as OpenWrt's are): each
// file becomes a module named after it, so its functions run at its place in the glob order among
// ours. What a file adds is found by sourcing all files once with boot_hook_add recording; each
// function later runs in /bin/sh with every file sourced, the effective settings set, a time limit,
// and its exit status logged. Nothing is started when there are no such files.
using Preinit.Boot.Network;
using Preinit.Boot.Platform;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class ShellHookFiles(string directory, IReadOnlyDictionary<string, string> settings, PreinitSession session)
{
    public const string Shell = "/bin/sh", SettingsFile = "00_preinit.conf";
    public static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(30), FunctionTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _problems = [];

    /// <summary>Every file sourced, in glob order: 00_preinit.conf (the settings) and the other packages' files.</summary>
    public IReadOnlyList<string> Files { get; } = Directory.Exists(directory)
        ? Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
        : [];

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>OpenWrt's function libraries this rootfs has, sourced before the files as its /etc/preinit does.</summary>
    public IReadOnlyList<string> Libraries { get; } = ShellHookSourcing.OpenWrtLibraries.Where(File.Exists).ToList();

    /// <summary>No modules, for a verb that only shows things: the files are shell code, so they are named, not run.</summary>
    public IReadOnlyList<IPreinitModule> NotSourced()
    {
        var foreign = Files.Count(f => Path.GetFileName(f) != SettingsFile);
        if (foreign > 0)
            _problems.Add($"{foreign} hook file(s) of other packages in {directory} not read: they are shell code, and this verb runs " +
                "nothing of theirs unless asked (--source-hook-files sources them to show what they add)");
        return [];
    }

    /// <summary>One module per file that adds a function to a hook.</summary>
    public IReadOnlyList<IPreinitModule> Modules()
    {
        if (!Files.Any(f => Path.GetFileName(f) != SettingsFile)) return [];
        if (!File.Exists(Shell))
        {
            _problems.Add($"{directory} has hook files of other packages, but there is no {Shell} to run them");
            return [];
        }
        ChildResult result;
        try { result = ChildProcess.Run(Shell, ["-c", ShellHookSourcing.Discovery(Libraries), "sh", .. Files], DiscoveryTimeout); }
        catch (TimeoutException e)
        {
            _problems.Add($"reading the hook files in {directory}: {e.Message}; none of them runs");
            return [];
        }
        var said = new List<string>();
        var registrations = ShellHookSourcing.ParseDiscovery(result.Output, Files, said.Add, _problems.Add);
        if (result.ExitCode != 0)
            _problems.Add($"sourcing the hook files in {directory} stopped with status {result.ExitCode}" +
                (said.Count > 0 ? $": {string.Join(" / ", said)}" : "") + "; the functions found before that are used");
        return registrations.GroupBy(r => r.File)
            .Select(g => (IPreinitModule)new ShellHookModule(g.Key, [.. g], this))
            .ToList();
    }

    /// <summary>The variables a shell function sees besides what the files set: the effective settings (kernel
    /// command line included), PREINIT=1, FAILSAFE=true in failsafe mode, INITRAMFS=1 on the initramfs.</summary>
    public IEnumerable<KeyValuePair<string, string>> Variables()
    {
        foreach (var setting in settings) yield return setting;
        yield return new("PREINIT", "1");
        yield return new("FAILSAFE", session.Failsafe ? "true" : "");
        yield return new("INITRAMFS", InitramfsTestStep.OnInitramfs() ? "1" : "");
    }

    /// <summary>The effective value of every setting, by name.</summary>
    public static IReadOnlyDictionary<string, string> EffectiveSettings(Microsoft.Extensions.Configuration.IConfiguration config) =>
        SettingCatalog.All.ToDictionary(d => d.Key, d => config[d.Key] ?? d.Default);

    private sealed class ShellHookModule(string path, IReadOnlyList<ShellHookRegistration> functions, ShellHookFiles files) : IPreinitModule
    {
        public string Name => Path.GetFileName(path);

        public bool Foreign => true;

        public string Source => $"shell {path}";

        public void Register(HookRegistrar hooks)
        {
            foreach (var added in functions)
                hooks.Add(added.Hook, added.Function, new ShellFunctionStep(files, Name, added.Function));
        }
    }
}

/// <summary>One shell function of a hook file, run in its own /bin/sh with every hook file sourced first.</summary>
public sealed record ShellFunctionStep(ShellHookFiles Files, string File, string Function) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        var script = ShellHookSourcing.Run(Files.Libraries, Files.Files, Function, Files.Variables());
        try
        {
            var status = ChildProcess.RunInherited(ShellHookFiles.Shell, ["-c", script], ShellHookFiles.FunctionTimeout);
            context.Note($"{Function} ({File}) exited with status {status}");
        }
        catch (TimeoutException e) { context.Note($"{Function} ({File}): {e.Message}"); }
        return StepOutcome.Continue;
    }

    public override string ToString() => $"run the shell function {Function} from {File}";
}
