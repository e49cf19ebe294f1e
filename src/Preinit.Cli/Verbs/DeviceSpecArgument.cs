using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Interop;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

/// <summary>The SPEC argument of find and wait: LABEL=, UUID=, PARTUUID=, PARTLABEL= or /dev/NAME.</summary>
public static class DeviceSpecArgument
{
    public static Argument<string> Create() =>
        new("SPEC") { Description = "LABEL=name, UUID=..., PARTUUID=..., PARTLABEL=... or /dev/NAME" };

    /// <returns>The spec; null when it is not one, said in an `Error:` line.</returns>
    public static DeviceSpec? Parse(ParseResult result, Argument<string> argument, TextWriter error)
    {
        if (!DeviceSpec.TryParse(result.GetValue(argument)!, out var spec, out var malformed))
        {
            error.WriteLine($"Error: {malformed}");
            return null;
        }
        // A path that is there already must be a device: a file or a directory never becomes one.
        if (spec.Kind == SpecKind.Path && Libc.TryStat(spec.Value, out var found) && found.FileType != Libc.S_IFBLK)
        {
            error.WriteLine($"Error: {spec.Value} is {FileKind.Describe(found.stx_mode)}, not a block device: " +
                "name a disk or partition (/dev/sdb1), or a filesystem by LABEL= or UUID=");
            return null;
        }
        return spec;
    }
}
