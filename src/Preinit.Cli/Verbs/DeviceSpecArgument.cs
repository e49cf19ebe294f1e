using System.CommandLine;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

/// <summary>The SPEC argument of find and wait: LABEL=, UUID=, PARTUUID=, PARTLABEL= or /dev/NAME.</summary>
public static class DeviceSpecArgument
{
    public static Argument<string> Create() => new("SPEC") { Description = "LABEL=name, UUID=..., PARTUUID=..., PARTLABEL=... or /dev/NAME" };

    public static DeviceSpec? Parse(ParseResult result, Argument<string> argument)
    {
        if (DeviceSpec.TryParse(result.GetValue(argument)!, out var spec, out var error)) return spec;
        Console.Error.WriteLine($"Error: {error}");
        return null;
    }
}
