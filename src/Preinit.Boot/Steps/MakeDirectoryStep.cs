using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>mkdir -p with a mode (init_shm, init_pts).</summary>
public sealed record MakeDirectoryStep(string Path, UnixFileMode Mode = (UnixFileMode)0b111_101_101) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        Directory.CreateDirectory(Path, Mode);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"mkdir {Path}";
}
