// This boot's record on the stick: /tmp/preinit.log (both stages) copied to .preinit/boots at the
// top of the stick's filesystem, beside upper/ and work/ and not in the overlay (so it is there to
// read on any machine, whatever the root's state), just before init gets control. A boot that ends
// in the rescue shell saves it again under the same name, failure included. A stick that takes no
// changes this boot, or is full, is left as it is: one line says why, and the boot goes on.
using Preinit.Boot.Extroot;
using Preinit.Core.BootLogs;
using Preinit.Core.Fstab;
using Preinit.Interop;

namespace Preinit.Boot.Logging;

public sealed class BootRecord(ExtrootState extroot, BootLog bootLog)
{
    /// <summary>Decided by the first save: a later one (the rescue shell) replaces that record instead of adding one.</summary>
    private string? _name;

    /// <summary>Where the stick keeps the records now, or null with the reason. Needs the root as external_root_pivot
    /// left it: the stick mounted on its target in the new root (overlay), or the root itself (target /).</summary>
    public static string? Place(ExtrootState stick, out string whyNot)
    {
        whyNot = "";
        if (stick.Mounted is not { } mounted) whyNot = "no stick is in use";
        else if (!stick.Pivoted) whyNot = $"{mounted.Device} is not in use";
        else if (stick.Use == StickUse.SavedChangesInRam || mounted.ReadOnly) whyNot = $"{mounted.Device} takes no changes this boot";
        else if (mounted.Kind == ExtrootKind.Root) return "/" + BootRecordName.Directory;
        else return Path.Combine(mounted.Target, BootRecordName.Directory);
        return null;
    }

    /// <param name="ending">Where the boot goes next, in words ("init (/sbin/init)", "a rescue shell: ...").</param>
    public void Save(string ending, Action<string> note)
    {
        var directory = Place(extroot, out var whyNot);
        var problem = directory is null ? whyNot : Unusable(directory);
        var source = bootLog.File.Path;
        if (directory is null || problem is not null || source is null)
        {
            note($"this boot's log is not saved on the stick: {problem ?? "it was never written to a file"}");
            return;
        }
        try
        {
            _name ??= BootRecordName.Format(BootRecordName.Next(Directory.Exists(directory) ? BootRecordStore.Names(directory) : []),
                DateTime.UtcNow);
            var path = Path.Combine(directory, _name);
            // Logged before the copy, so the record itself says where the boot went.
            note($"{BootTimeline.SavingPrefix}{path}{BootTimeline.EndingSeparator}{ending}");
            foreach (var old in BootRecordStore.Write(directory, _name, source))
                note($"removed the oldest boot log {Path.Combine(directory, old)} (the last {BootRecordName.Keep} are kept)");
        }
        catch (Exception e)
        {
            note($"this boot's log is not saved on the stick: {e.Message}");
        }
    }

    /// <summary>Why the stick cannot take the record now, or null: it must still be mounted where the pivot put it (a
    /// record written to an empty directory there would land in the overlay), and have room.</summary>
    private string? Unusable(string directory)
    {
        try
        {
            var top = Path.GetDirectoryName(Path.GetDirectoryName(directory))!;
            if (extroot.Mounted?.Kind != ExtrootKind.Root && Libc.Stat(top).Device == Libc.Stat("/").Device)
                return $"{top} is not the stick's mount point in this root";
            var space = StickSpaceMeter.Measure(top);
            return space.Full ? $"{extroot.Mounted?.Device} is full ({space})" : null;
        }
        catch (Exception e) { return e.Message; }
    }
}
