// preinit.extroot, parsed once: the stick comes from fstab's extroot entry, from a device spec on the
// kernel command line, or there is none (off).
using Preinit.Core.Devices;

namespace Preinit.Core.Configuration;

public enum ExtrootSource { Fstab, Off, Device }

public sealed class ExtrootSetting
{
    public static readonly ExtrootSetting Fstab = new(ExtrootSource.Fstab, null), Off = new(ExtrootSource.Off, null);

    private ExtrootSetting(ExtrootSource source, DeviceSpec? device) => (Source, Device) = (source, device);

    public ExtrootSource Source { get; }

    /// <summary>The stick named on the command line (Source is Device), else null.</summary>
    public DeviceSpec? Device { get; }

    /// <param name="error">Why the text is none of fstab, off and a device spec.</param>
    public static bool TryParse(string text, out ExtrootSetting setting, out string error)
    {
        var s = text.Trim();
        error = "";
        setting = s.Equals("fstab", StringComparison.OrdinalIgnoreCase) ? Fstab
            : s.Equals("off", StringComparison.OrdinalIgnoreCase) ? Off
            : DeviceSpec.TryParse(s, out var spec, out error) ? new ExtrootSetting(ExtrootSource.Device, spec)
            : Off;
        return error.Length == 0;
    }

    public override string ToString() => Source switch
    {
        ExtrootSource.Fstab => "fstab",
        ExtrootSource.Off => "off",
        _ => Device!.ToString(),
    };
}
