// How a device is named in fstab and on the command line: LABEL=, UUID=, PARTUUID=, PARTLABEL=
// or a /dev path. UUIDs compare case-insensitively (blkid prints vfat's upper case, ext's lower).
namespace Preinit.Core.Devices;

public enum SpecKind { Label, Uuid, PartUuid, PartLabel, Path }

public sealed record DeviceSpec(SpecKind Kind, string Value)
{
    public static bool TryParse(string text, out DeviceSpec spec, out string error)
    {
        spec = new DeviceSpec(SpecKind.Path, text);
        error = "";
        var eq = text.IndexOf('=');
        if (text.StartsWith('/') && eq < 0) return true;
        var key = eq > 0 ? text[..eq].ToUpperInvariant() : "";
        var value = eq > 0 ? Unquote(text[(eq + 1)..]) : "";
        SpecKind? kind = key switch
        {
            "LABEL" => SpecKind.Label,
            "UUID" => SpecKind.Uuid,
            "PARTUUID" => SpecKind.PartUuid,
            "PARTLABEL" => SpecKind.PartLabel,
            _ => null,
        };
        if (kind is null || value.Length == 0)
        {
            error = $"'{text}' is not a device: use LABEL=name, UUID=..., PARTUUID=..., PARTLABEL=... or /dev/NAME";
            return false;
        }
        spec = new DeviceSpec(kind.Value, value);
        return true;
    }

    private static string Unquote(string s) => s.Length >= 2 && (s[0] == '"' || s[0] == '\'') && s[^1] == s[0] ? s[1..^1] : s;

    public bool Matches(ProbedDevice d) => Kind switch
    {
        // A label's bytes as they are, or (a FAT label in a DOS code page) read in code page 850: LABEL=ÜNÏ finds it.
        SpecKind.Label => d.Label == Value || (Probing.LabelBytes.CodePageText(d.Label) is { } text && text == Value),
        SpecKind.Uuid => string.Equals(d.Uuid, Value, StringComparison.OrdinalIgnoreCase),
        SpecKind.PartUuid => string.Equals(d.PartUuid, Value, StringComparison.OrdinalIgnoreCase),
        SpecKind.PartLabel => d.PartLabel == Value,
        _ => d.Device.DevicePath == Value || "/dev/" + d.Device.Name == Value,
    };

    public override string ToString() => Kind switch
    {
        SpecKind.Label => $"LABEL={Probing.PrintableText.Escape(Value)}",
        SpecKind.Uuid => $"UUID={Probing.PrintableText.Escape(Value)}",
        SpecKind.PartUuid => $"PARTUUID={Probing.PrintableText.Escape(Value)}",
        SpecKind.PartLabel => $"PARTLABEL={Probing.PrintableText.Escape(Value)}",
        _ => Probing.PrintableText.Escape(Value),
    };
}
