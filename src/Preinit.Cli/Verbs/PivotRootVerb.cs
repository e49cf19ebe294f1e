// `preinit pivot-root NEWROOT [PROGRAM...]`: the whole-root pivot on its own (extroot `target /`):
// the mounted stick itself becomes / if it has an init, the old root goes to /rom.
using System.CommandLine;
using Preinit.Boot.Extroot;

namespace Preinit.Cli.Verbs;

public sealed class PivotRootVerb : PivotVerb
{
    public Argument<string> NewRoot { get; } = new("NEWROOT") { Description = "where the stick holding a whole root " +
        "filesystem is mounted, e.g. /mnt" };
    public Option<string> Init { get; } = new("--init") { Description = "the init the new root must have",
        DefaultValueFactory = _ => "/sbin/init" };

    public PivotRootVerb() : base("pivot-root", "make a mounted stick the whole root (extroot target /), old root at /rom")
    {
        Add(NewRoot);
        Add(Init);
        Add(Program);
    }

    protected override void Pivot(ParseResult result, Action<string> log)
    {
        WholeRootPivot.Run(MountedDirectory(result.GetValue(NewRoot)!, "stick holding the root"), result.GetValue(Init)!, log);
    }
}
