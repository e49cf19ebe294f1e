// Carries out a MountPlan (`preinit mount`): each filesystem checked first when its section asks
// (a check that did not happen leaves it unmounted; errors fsck left mount it read-only), its
// driver loaded, its target made, then mounted with the section's options.
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;
using Preinit.Boot.Kernel;
using Preinit.Core.Configuration;
using Preinit.Core.Fsck;
using Preinit.Core.Fstab;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed class FstabMounter(ModuleLoader loader, Action<string> note)
{
    /// <returns>How many of the planned mounts failed.</returns>
    public int Run(MountPlanResult plan)
    {
        foreach (var line in plan.Notes) note(line);
        var failed = 0;
        foreach (var action in plan.Mount)
            if (!Mount(action)) failed++;
        return failed;
    }

    /// <summary>One planned mount; its outcome is one line.</summary>
    public bool Mount(MountAction a)
    {
        var options = MountOptions.Parse(a.Options);
        if (a.Check)
        {
            var outcome = new FsckRunner(note, p => DeviceProber.ProbePath(p).Type).Check(a.DevicePath, a.Type);
            if (outcome.Verdict.Action == FsckAction.Skip)
            {
                note($"{a.DevicePath} not mounted on {a.Target}: {outcome.Verdict.Meaning}");
                return false;
            }
            if (outcome.Verdict.Action is FsckAction.ReadOnly or FsckAction.Reboot)
            {
                note($"{a.DevicePath}: {outcome.Verdict.Meaning}: mounting it read-only. Repair it: fsck {a.DevicePath}");
                options = options.WithReadOnly();
            }
        }
        FilesystemDriver.Ensure(loader, a.Type, note);
        try
        {
            Directory.CreateDirectory(a.Target);
            Libc.Mount(a.DevicePath, a.Target, a.Type, options.Flags, options.Data);
        }
        catch (IOException e)
        {
            note($"{a.DevicePath} not mounted on {a.Target}: {e.Message}");
            return false;
        }
        note($"mounted {a.DevicePath} ({a.Type}) on {a.Target}{(options.ReadOnly ? " read-only" : "")} ({a.Why})");
        return true;
    }
}
