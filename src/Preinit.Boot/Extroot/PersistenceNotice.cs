// The line that says this boot's changes will not be saved, said where the user looks later too:
// in the boot log, and in /tmp/.preinit-persistence, which the Live CD's /etc/profile shows at
// every login (the boot messages have scrolled away by then).
using Preinit.Core.Hooks;

namespace Preinit.Boot.Extroot;

public static class PersistenceNotice
{
    public const string File = "/tmp/.preinit-persistence";

    public static void Say(IStepContext context, string notice)
    {
        context.Note(notice);
        try { System.IO.File.AppendAllText(File, notice + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { context.Note($"warning: {File}: {e.Message}"); }
    }
}
