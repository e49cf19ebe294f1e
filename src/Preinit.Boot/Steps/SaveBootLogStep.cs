// The last thing before init (or procd's init) gets control: this boot's log goes to the stick in
// use, so a boot that went wrong can be read on another machine (`preinit log`). Never fails the boot.
using Preinit.Boot.Logging;
using Preinit.Core.BootLogs;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <param name="Ending">Where the boot goes next, in words: the record says so.</param>
public sealed class SaveBootLogStep(BootRecord record, string ending) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        record.Save(ending, context.Note);
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        $"save this boot's log on the stick in use (its {BootRecordName.Directory}, the last {BootRecordName.Keep})";
}
