// `preinit uci show|get|export FILE ...`: a UCI file read as libuci reads it, printed byte for byte
// as OpenWrt's `uci show /path/FILE`, `uci get` and `uci export` would (the package is the file's
// name). Unlike uci, a file with bad lines is still shown: each problem goes to stderr as
// "Error: FILE:LINE:COLUMN: ..." and the exit code is 1; uci would print only the first problem.
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Core.Uci;

namespace Preinit.Cli.Verbs;

public static class UciVerb
{
    public static Command Create()
    {
        var command = new Command("uci", "read an OpenWrt UCI file (/etc/config/*) as libuci does: show, get, export");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Get());
        command.Subcommands.Add(Export());
        return command;
    }

    // @TYPE[N] reaches the verb because VerbCommands parses without response files.
    private const string SectionHelp = "a section (NAME, @TYPE[N], @TYPE[-1]) and option";

    private static Argument<string> FileArgument() => new("FILE") { Description = "the UCI file, e.g. /etc/config/fstab" };

    private static Command Show()
    {
        var file = FileArgument();
        var path = new Argument<string?>("SECTION[.OPTION]") { Description = SectionHelp, Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show", "print the file as `uci show`: pkg.@type[N]=type, pkg.@type[N].option='value'") { file, path };
        command.SetAction(result =>
        {
            if (Load(result.GetValue(file)!) is not { } loaded) return 1;
            var (package, failed) = loaded;
            if (result.GetValue(path) is not { } tuple)
            {
                Console.Out.Write(UciText.Show(package));
                return failed;
            }
            var found = UciLookup.Resolve(package, tuple);
            if (found.Status != UciLookupStatus.Found) return NotFound(found);
            Console.Out.Write(found.Option is { } option
                ? UciText.ShowOption(package, found.Section!, option)
                : UciText.ShowSection(package, found.Section!));
            return failed;
        });
        return command;
    }

    private static Command Get()
    {
        var file = FileArgument();
        var path = new Argument<string>("SECTION[.OPTION]") { Description = SectionHelp + ": the option's value is printed, or the section's type" };
        var command = new Command("get", "print one value as `uci get` (a section's type when no option is given)") { file, path };
        command.SetAction(result =>
        {
            if (Load(result.GetValue(file)!) is not { } loaded) return 1;
            var (package, failed) = loaded;
            var tuple = result.GetValue(path)!;
            var found = UciLookup.Resolve(package, tuple);
            if (found.Status != UciLookupStatus.Found) return NotFound(found);
            if (found.Value is not null)
            {
                // cli.c uci_do_section_cmd: get with "=value" exits 1 without a message; we say why.
                Console.Error.WriteLine($"Error: '{tuple}': get takes no =value");
                return 1;
            }
            Console.Out.Write(found.Option is { } option ? UciText.Get(option) : UciText.Get(found.Section!));
            return failed;
        });
        return command;
    }

    private static Command Export()
    {
        var file = FileArgument();
        var command = new Command("export", "print the file in libuci's own format, as `uci export`") { file };
        command.SetAction(result =>
        {
            if (Load(result.GetValue(file)!) is not { } loaded) return 1;
            Console.Out.Write(UciText.Export(loaded.Package));
            return loaded.Failed;
        });
        return command;
    }

    /// <summary>Reads and parses the file; its problems go to stderr. Failed is the exit code to end with: 1 when there were problems.</summary>
    private static (UciPackage Package, int Failed)? Load(string path)
    {
        if (InputPath.File(path, "UCI file") is { } unusable)
        {
            Console.Error.WriteLine($"Error: {unusable}");
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
            Console.Error.WriteLine($"Error: {path}: {reason}");
            return null;
        }
        var parsed = UciParser.Parse(bytes, Path.GetFileName(path), path);
        foreach (var problem in parsed.Problems) Console.Error.WriteLine($"Error: {problem}");
        return (parsed.Package, parsed.Problems.Count > 0 ? 1 : 0);
    }

    // cli.c: a missing entry prints uci_perror's "uci: Entry not found"; a malformed one says why.
    private static int NotFound(UciLookupResult found)
    {
        Console.Error.WriteLine(found.Status switch
        {
            UciLookupStatus.NotFound => "uci: Entry not found",
            UciLookupStatus.Invalid => $"Error: {found.Problem} (uci: Invalid argument)",
            _ => $"Error: {found.Problem} (uci: Parse error)",
        });
        return 1;
    }
}
