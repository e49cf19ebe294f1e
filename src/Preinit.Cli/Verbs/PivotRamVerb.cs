// `preinit pivot-ram [--size SIZE] [PROGRAM...]`: an overlay of the current root with its changes on
// a tmpfs becomes / (OpenWrt's ramoverlay; boot's RAM-only session), the old root goes to /rom.
using System.CommandLine;
using Preinit.Boot.Extroot;
using Preinit.Core.Configuration;

namespace Preinit.Cli.Verbs;

public sealed class PivotRamVerb : PivotVerb
{
    public Option<string> Size { get; } = new("--size")
    {
        Description = "the tmpfs's size: SIZE (K/M/G) or N% of RAM", DefaultValueFactory = _ => RamOverlaySize.Default.TmpfsSize!,
    };

    public PivotRamVerb() : base("pivot-ram", $"make an overlay of / with its changes on a tmpfs ({OverlayPivotRequest.RamLayer}) " +
        "the new root (old root at /rom)")
    {
        Add(Size);
        Add(Program);
    }

    protected override void Pivot(ParseResult result, Action<string> log)
    {
        var text = result.GetValue(Size)!;
        if (!RamOverlaySize.TryParse(text, out var ramSize) || ramSize.Off)
            throw new InvalidOperationException($"--size {text} is not a size of at least 1M or a share of RAM " +
                "(1% to 100%); examples: 256M, 50%");
        OverlayPivot.Run(OverlayPivotRequest.RamOnly(ramSize.TmpfsSize), log);
    }
}
