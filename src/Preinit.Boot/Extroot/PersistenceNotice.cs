// The line that says this boot's changes will not be saved, said where the user looks later too:
// in the boot log, and in /tmp/.preinit-persistence, which the Live CD's /etc/profile shows at
// every login (the boot messages have scrolled away by then). One wording for every way the stick
// ends up unused, and one for a stick whose saved changes are used read-only.
using Preinit.Core.Hooks;

namespace Preinit.Boot.Extroot;

public static class PersistenceNotice
{
    public const string File = "/tmp/.preinit-persistence";

    /// <param name="fix">What the user can do, appended when given.</param>
    public static void RootInRam(IStepContext context, string why, string? fix = null) =>
        Say(context, $"NO PERSISTENT STORAGE: {why}. The root stays in RAM: changes will not survive a reboot." +
            (fix is null ? "" : " " + fix));

    public static void SavedChangesInRam(IStepContext context, string why, string savedChanges, string fix) =>
        Say(context, $"NO PERSISTENT STORAGE: {why}. Its saved changes ({savedChanges}) are in use, read-only; " +
            $"new changes stay in RAM and will not survive a reboot. {fix}");

    /// <summary>After the RAM overlay is made: the session's changes are one layer that can still be saved.</summary>
    public static void CanBeSaved(IStepContext context) =>
        Say(context, $"This session's changes are kept in RAM as one layer ({OverlayPivotRequest.RamLayer}/upper): " +
            "to keep them, plug in a stick (ext4, labelled rootfs_data unless /etc/config/fstab names another) and run: preinit persist");

    private static void Say(IStepContext context, string notice)
    {
        context.Note(notice);
        try { System.IO.File.AppendAllText(File, notice + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { context.Note($"warning: {File}: {e.Message}"); }
    }
}
