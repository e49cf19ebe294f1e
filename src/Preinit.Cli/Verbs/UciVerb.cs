// `preinit uci show|get|export FILE ...`: a UCI file read as libuci reads it, printed byte for byte
// as OpenWrt's `uci show /path/FILE`, `uci get` and `uci export` would (the package is the file's
// name). Unlike uci, a file with bad lines is still shown: each problem goes to stderr as
// "Error: FILE:LINE:COLUMN: ..." and the exit code is 1; uci would print only the first problem.
// This is the group; each subcommand is a verb of its own (UciShowVerb, UciGetVerb, UciExportVerb).
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Core.Uci;

namespace Preinit.Cli.Verbs;

public sealed class UciVerb : Command
{
    public UciVerb() : base("uci", "read an OpenWrt UCI file (/etc/config/*) as libuci does: show, get, export")
    {
        Subcommands.Add(new UciShowVerb());
        Subcommands.Add(new UciGetVerb());
        Subcommands.Add(new UciExportVerb());
    }

    // @TYPE[N] reaches the verb because VerbCommands parses without response files.
    internal const string SectionHelp = "a section (NAME, @TYPE[N], @TYPE[-1]) and option";

    internal static Argument<string> FileArgument() => new("FILE") { Description = "the UCI file, e.g. /etc/config/fstab" };

    /// <summary>Reads and parses the file; its problems go to stderr. Failed is
    /// the exit code to end with: 1 when there were problems.</summary>
    internal static (UciPackage Package, int Failed)? Load(string path, TextWriter error)
    {
        if (InputPath.File(path, "UCI file") is { } unusable)
        {
            error.WriteLine($"Error: {unusable}");
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            error.WriteLine($"Error: {path}: {reason}");
            return null;
        }
        var parsed = UciParser.Parse(bytes, Path.GetFileName(path), path);
        foreach (var problem in parsed.Problems) error.WriteLine($"Error: {problem}");
        return (parsed.Package, parsed.Problems.Count > 0 ? 1 : 0);
    }

    // cli.c: a missing entry prints uci_perror's "uci: Entry not found"; a malformed one says why.
    internal static int NotFound(UciLookupResult found, TextWriter error)
    {
        error.WriteLine(found.Status switch
        {
            UciLookupStatus.NotFound => "uci: Entry not found",
            UciLookupStatus.Invalid => $"Error: {found.Problem} (uci: Invalid argument)",
            _ => $"Error: {found.Problem} (uci: Parse error)",
        });
        return 1;
    }
}
