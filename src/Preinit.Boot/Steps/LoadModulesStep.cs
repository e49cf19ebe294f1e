// Loads kernel modules by name (or alias, like the kernel's own request_module("fs-ext2")) with
// their dependencies from modules.dep, so a missing dependency (ext4 needs crc16, mbcache, jbd2 and
// crc32c) cannot happen.
using Preinit.Boot.Kernel;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

public sealed record LoadModulesStep(IReadOnlyList<string> Names, Func<ModuleLoader> Loader) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        var loader = Loader();
        foreach (var name in Names)
        {
            var inserted = loader.Load(name);
            context.Note(inserted.Count == 0 ? $"{name}: already available" : $"{name}: loaded {string.Join(", ", inserted)}");
        }
        return StepOutcome.Continue;
    }

    public override string ToString() => $"load kernel modules {string.Join(", ", Names)} with their dependencies";
}
