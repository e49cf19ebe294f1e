// Stage 1 (/init in the initramfs): kernel filesystems, modules, the initramfs's size limit raised,
// the ext2 root image on a loop device, switch_root into it and exec /etc/preinit. Any failure:
// stage 2 runs in place from the initramfs (the source post's step 6), and if even that cannot
// start, the rescue shell.
using Preinit.Boot.Image;
using Preinit.Boot.Kernel;
using Preinit.Boot.Logging;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;
using Preinit.Interop;
using Serilog;

namespace Preinit.Boot.Stages;

public sealed class StageOne(PreinitSettings settings, BootLog bootLog, StepRunner runner)
{
    public const string ImagePath = "/.preinit-root.img", NewRoot = "/.preinit-root", StageTwoPath = "/etc/preinit";

    /// <summary>Modules the root image needs; "fs-ext2" is the alias the kernel itself asks for (ext4 provides ext2).</summary>
    public static readonly IReadOnlyList<string> RootModules = ["loop", "fs-ext2"];

    private ILogger Log => bootLog.Logger;

    /// <summary>Stage 1's steps in order: the kernel filesystems, then (unless preinit.loop=0) the loop root and
    /// the switch into it. Boot runs this list and `preinit plan` prints it.</summary>
    public IReadOnlyList<IBootStep> Steps() =>
        !settings.LoopRoot ? KernelFilesystemSteps.All :
        [
            .. KernelFilesystemSteps.All,
            new LoadModulesStep(RootModules, () => new ModuleLoader(ModuleLoader.DefaultDirectory(), runner.Note)),
            new RaiseInitramfsLimitStep(),
            new BuildRootImageStep(new RootImageRequest("/", ImagePath, NewRoot, settings.Headroom, ["storage"], settings.ImageMethod)),
            new SwitchRootStep(NewRoot, StageTwoPath, bootLog.File),
        ];

    /// <summary>Never returns: ends in exec of stage 2 (new root or in place) or in the rescue shell. A kernel
    /// filesystem that cannot be mounted throws to the caller (stage 1 could not start: stage 2 in place, without
    /// the cleanup); the firmware is read from /sys once they are mounted.</summary>
    public void Run()
    {
        var steps = Steps();
        var kernel = KernelFilesystemSteps.All.Count;
        runner.Run(steps.Take(kernel));
        try
        {
            Log.Information("firmware: {Firmware}", Firmware.Describe());
            if (!settings.LoopRoot)
                Log.Information("preinit.loop=0: no loop root, stage 2 runs on the initramfs");
            runner.Run(steps.Skip(kernel));
        }
        catch (Exception e)
        {
            Log.Error("stage 1 failed: {Error}", e.Message);
            Log.Debug("{Exception}", e.ToString());
            Log.Warning("running {StageTwo} in place on the initramfs; changes live in RAM only", StageTwoPath);
            Cleanup();
        }
        ExecStageTwoInPlace();
    }

    /// <summary>Undo a half-built root so stage 2 in place sees a clean initramfs.</summary>
    private void Cleanup()
    {
        try
        {
            if (Platform.MountPoint.Is(NewRoot)) Libc.Umount2(NewRoot, Libc.MNT_DETACH);
            if (File.Exists(ImagePath)) File.Delete(ImagePath);
        }
        catch (Exception e) { Log.Warning("cleanup after stage 1: {Error}", e.Message); }
    }

    private void ExecStageTwoInPlace()
    {
        try
        {
            bootLog.File.HandOver();
            Libc.Execve(StageTwoPath, [StageTwoPath], Platform.ChildProcess.CurrentEnvironment());
        }
        catch (Exception e)
        {
            LastResort.Forever(Log, $"cannot exec {StageTwoPath}: {e.Message}");
        }
    }
}
