// `preinit pivot-overlay STICKMOUNT [PROGRAM...]`: the extroot pivot on its own: an overlay of the
// current root with its upper layer on the mounted stick becomes /, the old root goes to /rom; with
// --changes-in-ram the stick is only read (its saved changes over the old root) and new changes go
// to RAM.
using System.CommandLine;
using Preinit.Boot.Extroot;

namespace Preinit.Cli.Verbs;

public sealed class PivotOverlayVerb : PivotVerb
{
    public Argument<string> Stick { get; } = new("STICKMOUNT") { Description = "where the stick is mounted, e.g. /storage" };
    public Option<bool> ChangesInRam { get; } = new("--changes-in-ram")
    {
        Description = "leave the stick unchanged: its saved changes (upper/) are a read-only layer, new changes go to RAM " +
            $"({OverlayPivotRequest.RamLayer})",
    };

    public PivotOverlayVerb()
        : base("pivot-overlay", "make an overlay of / with its upper layer on the stick the new root (old root at /rom)")
    {
        Add(Stick);
        Add(ChangesInRam);
        Add(Program);
    }

    protected override void Pivot(ParseResult result, Action<string> log)
    {
        OverlayPivot.Run(new OverlayPivotRequest(MountedDirectory(result.GetValue(Stick)!, "stick"),
            ChangesInRam: result.GetValue(ChangesInRam)), log);
    }
}
