// `preinit switch-root NEWROOT INIT`: stage 1's switch_root on its own, with the same checks
// (the current root must be an initramfs, NEWROOT a mount point holding an executable INIT).
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Logging;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public sealed class SwitchRootVerb : Verb
{
    public Argument<string> NewRoot { get; } = new("NEWROOT") { Description = "mount point of the new root" };
    public Argument<string> Init { get; } = new("INIT") { Description = "program to exec in the new root, e.g. /sbin/init" };

    public SwitchRootVerb() : base("switch-root", "move NEWROOT onto /, empty the initramfs and exec INIT (as busybox switch_root does)")
    {
        Add(NewRoot);
        Add(Init);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (InputPath.Directory(result.GetValue(NewRoot)!, "new root directory") is { } problem) return Fail(error, problem);
        var log = new BootLog(booting: false);
        var step = new SwitchRootStep(result.GetValue(NewRoot)!, result.GetValue(Init)!, log.File);
        try
        {
            new StepRunner(log.Logger, new HookPlan([])).Run([step]);
            return 0; // not reached: the step execs INIT
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return Fail(error, e.Message); }
    }
}
