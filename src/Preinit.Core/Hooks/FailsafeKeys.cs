// What a line typed on a console during failsafe_wait asks for (OpenWrt's fs_wait_for_key): "f" enters
// failsafe, "1" to "4" set the debug level for the rest of the boot; anything else is ignored.
namespace Preinit.Core.Hooks;

public static class FailsafeKeys
{
    public const string Prompt = "Press the [f] key and hit [enter] to enter failsafe mode";
    public const string DebugPrompt = "Press the [1], [2], [3] or [4] key and hit [enter] to select the debug level";

    /// <returns>'f' for failsafe, '1'..'4' for a debug level, or null.</returns>
    public static char? Parse(string line)
    {
        var text = line.Trim();
        if (text.Length != 1) return null;
        var key = char.ToLowerInvariant(text[0]);
        return key is 'f' or (>= '1' and <= '4') ? key : null;
    }
}
