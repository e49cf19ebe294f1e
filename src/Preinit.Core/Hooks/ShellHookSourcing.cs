// The shell side of the bridge to hook files other packages put in /lib/preinit: the scripts that
// source them as OpenWrt's /etc/preinit does: its function libraries first (/lib/functions.sh and
// the others, where the rootfs has them), then boot_hook_add, boot_run_hook, pi_hook_add and
// pi_run_hook defined by us, then the files. One script lists what each file adds to which hook;
// the other runs one function with every file sourced first, as all of them share one shell in OpenWrt.
namespace Preinit.Core.Hooks;

// A class, not a record: nothing compares or prints it, and a record's generated members cost binary size.
public sealed class ShellHookRegistration(string file, string hook, string function)
{
    public string File { get; } = file;
    public string Hook { get; } = hook;
    public string Function { get; } = function;
}

public static class ShellHookSourcing
{
    private const string FileMark = "@@preinit-file ", HookMark = "@@preinit-hook ";

    /// <summary>The function libraries OpenWrt's /etc/preinit sources before the hook files (they use them).</summary>
    public static readonly IReadOnlyList<string> OpenWrtLibraries = ["/lib/functions.sh", "/lib/functions/preinit.sh",
        "/lib/functions/system.sh"];

    /// <summary>Sources <paramref name="libraries"/>, then each file (given as "$@") with boot_hook_add printing what it
    /// adds. A file is named by its place in the list, never by its name, so a name holding a newline cannot forge a line.</summary>
    public static string Discovery(IReadOnlyList<string> libraries) => Sourcing(libraries) + DiscoveryBody;

    private const string DiscoveryBody = """
        boot_hook_init() { :; }
        boot_hook_add() { printf '@@preinit-hook %s %s\n' "$1" "$2"; }
        pi_hook_add() { boot_hook_add "$@"; }
        boot_run_hook() { :; }
        pi_run_hook() { :; }
        __preinit_index=0
        for __preinit_file in "$@"; do
            printf '@@preinit-file %d\n' "$__preinit_index"
            __preinit_index=$((__preinit_index + 1))
            . "$__preinit_file"
        done
        """;

    /// <summary>What the discovery script printed for <paramref name="files"/>, in order. Hook and function names must be
    /// shell identifiers: anything else would be pasted into a script as code, so it is refused and reported to
    /// <paramref name="refused"/>. Other lines (a file printing while sourced) go to <paramref name="other"/>.</summary>
    public static IReadOnlyList<ShellHookRegistration> ParseDiscovery(IEnumerable<string> output, IReadOnlyList<string> files,
        Action<string> other, Action<string> refused)
    {
        var found = new List<ShellHookRegistration>();
        string? file = null;
        foreach (var line in output)
        {
            if (line.StartsWith(FileMark, StringComparison.Ordinal)
                && int.TryParse(line[FileMark.Length..], System.Globalization.NumberStyles.None, null, out var index)
                    && index < files.Count)
                file = files[index];
            else if (line.StartsWith(HookMark, StringComparison.Ordinal) && file is not null)
            {
                var words = line[HookMark.Length..].Split(' ', 2);
                if (words is [var hook, var function] && IsName(hook) && IsName(function))
                    found.Add(new ShellHookRegistration(file, hook, function));
                else
                    refused($"{file}: boot_hook_add {line[HookMark.Length..]}: hook and function names must be shell identifiers " +
                        "(letters, digits, _); not added");
            }
            else other(line);
        }
        return found;
    }

    /// <summary>Sources every file (boot_run_hook then runs the shell functions added to that hook), sets the effective
    /// settings and the boot's variables, then calls <paramref name="function"/>; its status is the script's.</summary>
    public static string Run(IReadOnlyList<string> libraries, IReadOnlyList<string> files, string function,
        IEnumerable<KeyValuePair<string, string>> variables)
    {
        var lines = new List<string>
        {
            Sourcing(libraries),
            "boot_hook_init() { :; }",
            // Only identifiers reach eval, as discovery accepts only those.
            "boot_hook_add() { for __preinit_name in \"$1\" \"$2\"; do case $__preinit_name in '' | [0-9]* | *[!A-Za-z0-9_]*) return 1 " +
                ";; esac; done; eval \"__preinit_hook_$1=\\\"\\${__preinit_hook_$1} $2\\\"\"; }",
            "pi_hook_add() { boot_hook_add \"$@\"; }",
            "boot_run_hook() { eval \"for __preinit_fn in \\${__preinit_hook_$1}; do \\$__preinit_fn; done\"; }",
            "pi_run_hook() { boot_run_hook \"$@\"; }",
        };
        lines.AddRange(files.Select(f => $". {Quote(f)}"));
        foreach (var (name, value) in variables)
            if (IsName(name)) lines.Add($"{name}={Quote(value)}");
        if (!IsName(function)) throw new ArgumentException($"'{function}' is not a shell identifier", nameof(function));
        lines.Add(function);
        return string.Join('\n', lines) + "\n";
    }

    private static string Sourcing(IReadOnlyList<string> libraries) => string.Concat(libraries.Select(l => $". {Quote(l)}\n"));

    /// <summary>A shell word that is exactly <paramref name="value"/>: single quotes, with ' written as '\''.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>A valid sh variable name.</summary>
    public static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
