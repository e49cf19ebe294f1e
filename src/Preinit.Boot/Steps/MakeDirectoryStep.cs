using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>mkdir -p, then chmod (init_shm, init_pts): the mode holds whatever
/// the umask, and for a directory that was there already.</summary>
public sealed record MakeDirectoryStep(string Path, UnixFileMode Mode = (UnixFileMode)0b111_101_101) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        Directory.CreateDirectory(Path, Mode);
        File.SetUnixFileMode(Path, Mode);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"mkdir {Path}";
}
