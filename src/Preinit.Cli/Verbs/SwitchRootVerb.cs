// `preinit switch-root NEWROOT INIT`: stage 1's switch_root on its own, with the same checks
// (the current root must be an initramfs, NEWROOT a mount point holding an executable INIT).
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Logging;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public static class SwitchRootVerb
{
    public static Command Create()
    {
        var newRoot = new Argument<string>("NEWROOT") { Description = "mount point of the new root" };
        var init = new Argument<string>("INIT") { Description = "program to exec in the new root, e.g. /sbin/init" };
        var command = new Command("switch-root", "move NEWROOT onto /, empty the initramfs and exec INIT (as busybox switch_root does)") { newRoot, init };
        command.SetAction(result =>
        {
            if (InputPath.Directory(result.GetValue(newRoot)!, "new root directory") is { } problem)
            {
                Console.Error.WriteLine($"Error: {problem}");
                return 1;
            }
            var log = new BootLog(booting: false);
            var step = new SwitchRootStep(result.GetValue(newRoot)!, result.GetValue(init)!, log.File);
            try
            {
                new StepRunner(log.Logger, new HookPlan([])).Run([step]);
                return 0; // not reached: the step execs INIT
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
