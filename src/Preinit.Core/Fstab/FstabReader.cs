// Reads a parsed /etc/config/fstab into FstabConfig the way OpenWrt reads it. Today's options follow
// fstools block.c (config_load, global_add, mount_add, swap_add): numbers and flags go through uci's
// blob.c uci_attr_to_blob as BLOBMSG_TYPE_INT32, i.e. strtol(value, &end, 0) that must use the whole
// value, else the option counts as absent; list values are skipped for these options. The 2011 options
// follow block-mount's block.sh (config_get_mount): config_get_bool's words, and its defaults.
// Whatever does not take effect as written becomes a warning naming the file, line, section and option.
using Preinit.Core.Devices;
using Preinit.Core.Uci;

namespace Preinit.Core.Fstab;

public static class FstabReader
{
    private static readonly string[] GlobalOptions = ["anon_swap", "anon_mount", "auto_swap", "auto_mount", "delay_root", "check_fs"];
    // 2011 block-mount's `config global automount|autoswap` options, which nothing reads any more.
    private static readonly string[] LegacyGlobalOptions = ["from_fstab", "anon_fsck"];
    private static readonly string[] MountOptions = ["target", "device", "label", "uuid", "options", "enabled", "autofs", "fstype",
        "enabled_fsck", "is_rootfs"];
    private static readonly string[] SwapOptions = ["device", "label", "uuid", "priority", "enabled"];

    public static FstabConfig Read(UciPackage package, string file)
    {
        var warnings = new List<FstabWarning>();
        var global = FstabGlobal.Defaults;
        var mounts = new List<FstabMount>();
        var swaps = new List<FstabSwap>();
        foreach (var (section, reference) in package.WithReferences())
        {
            var reader = new SectionReader(file, $"{package.Name}.{reference}", section, warnings);
            switch (section.Type)
            {
                case "global":
                    global = ReadGlobal(reader, global);
                    break;
                case "mount":
                    if (ReadMount(reader) is { } mount) mounts.Add(mount);
                    break;
                case "swap":
                    if (ReadSwap(reader) is { } swap) swaps.Add(swap);
                    break;
                default:
                    reader.Warn(null, section.Line, $"section type '{section.Type}' is not global, mount or swap: ignored");
                    break;
            }
        }
        DropReplaced(file, mounts, swaps, warnings);
        WarnAboutSeveralExtroots(file, mounts, warnings);
        return new FstabConfig(global, mounts, swaps, warnings);
    }

    // block.c global_add.
    private static FstabGlobal ReadGlobal(SectionReader s, FstabGlobal global)
    {
        s.CheckKnown(GlobalOptions, LegacyGlobalOptions);
        foreach (var legacy in LegacyGlobalOptions)
            if (s.Section[legacy] is { } option)
                s.Warn(legacy, option.Line, "a 2011 block-mount option that today's OpenWrt (block.c) and preinit do not read: ignored");
        return new FstabGlobal(
            global.AnonSwap || s.Flag("anon_swap", false),
            global.AnonMount || s.Flag("anon_mount", false),
            global.AutoSwap || s.Flag("auto_swap", false),
            global.AutoMount || s.Flag("auto_mount", false),
            s.Int("delay_root") is { } delay ? unchecked((uint)delay) : global.DelayRoot,
            global.CheckFs || s.Flag("check_fs", false));
    }

    // block.c mount_add, with 2011 block-mount's extra options.
    private static FstabMount? ReadMount(SectionReader s)
    {
        s.CheckKnown(MountOptions, []);
        var target = s.String("target");
        var device = s.String("device");
        var label = s.String("label");
        var uuid = s.String("uuid");
        var options = s.String("options");
        var fstype = s.String("fstype");
        var enabled = s.Flag("enabled", true);
        var autofs = s.Flag("autofs", false);
        var enabledFsck = s.Bool2011("enabled_fsck", false);
        var isRootfs = s.Bool2011("is_rootfs", false);

        var specs = Specs(s, uuid, label, device);
        if (specs.Count == 0)
        {
            s.Warn(null, s.Section.Line, "mount section without uuid, label or device: ignored (block.c skips it)");
            return null;
        }
        if (target is not null && !target.StartsWith('/'))
        {
            s.Warn("target", s.Section["target"]!.Line, $"target '{target}' is not an absolute path: " +
                "the section is ignored (as block.c does)");
            return null;
        }
        return new FstabMount(s.Name, s.Section.Line, target, device, label, uuid, fstype, options, enabled, enabledFsck, isRootfs, autofs,
            specs);
    }

    // block.c swap_add.
    private static FstabSwap? ReadSwap(SectionReader s)
    {
        s.CheckKnown(SwapOptions, []);
        var device = s.String("device");
        var label = s.String("label");
        var uuid = s.String("uuid");
        var priority = s.Int("priority");
        var enabled = s.Flag("enabled", true);
        var specs = Specs(s, uuid, label, device, swapFile: device is not null && device.StartsWith('/')
            && !device.StartsWith("/dev/", StringComparison.Ordinal));
        if (specs.Count == 0)
        {
            s.Warn(null, s.Section.Line, "swap section without uuid, label or device: ignored (block.c skips it)");
            return null;
        }
        return new FstabSwap(s.Name, s.Section.Line, device, label, uuid, priority, enabled, specs);
    }

    // block.c find_block_info: UUID first (case-insensitive), then label, then the device by the last
    // component of its path (blobmsg_get_basename), whatever directory was written.
    /// <param name="swapFile">A swap section's device outside /dev: a swap file, switched on by its path, not looked for by name.</param>
    private static List<DeviceSpec> Specs(SectionReader s, string? uuid, string? label, string? device, bool swapFile = false)
    {
        var specs = new List<DeviceSpec>();
        if (uuid is not null) specs.Add(new DeviceSpec(SpecKind.Uuid, uuid));
        if (label is not null) specs.Add(new DeviceSpec(SpecKind.Label, label));
        if (device is not null)
        {
            var name = device.TrimEnd('/');
            name = name[(name.LastIndexOf('/') + 1)..];
            if (name.Length == 0)
            {
                s.Warn("device", s.Section["device"]!.Line, $"device '{device}' names no device: ignored");
            }
            else
            {
                var path = "/dev/" + name;
                if (path != device && !swapFile)
                    s.Warn("device", s.Section["device"]!.Line, "block.c matches a device by its name only: " +
                        $"'{device}' is looked for as {path}");
                specs.Add(new DeviceSpec(SpecKind.Path, path));
            }
        }
        return specs;
    }

    // block.c keys its mount list (mounts and swaps together) by uuid, else label, else the device's
    // name (vlist_add): a later enabled section with the same key replaces the earlier one, whatever
    // the kinds. Disabled sections never enter that list.
    private static void DropReplaced(string file, List<FstabMount> mounts, List<FstabSwap> swaps, List<FstabWarning> warnings)
    {
        var last = new Dictionary<string, (int Line, string Section)>(StringComparer.Ordinal);
        foreach (var m in mounts) if (m.Enabled) Later(last, FstabKeys.Of(m.Uuid, m.Label, m.Device), m.Line, m.Section);
        foreach (var w in swaps) if (w.Enabled) Later(last, FstabKeys.Of(w.Uuid, w.Label, w.Device), w.Line, w.Section);
        bool Replaced(bool enabled, string key, int line, string section)
        {
            if (!enabled || last[key].Line == line) return false;
            warnings.Add(new FstabWarning(file, line, section, null,
                $"names the same device as {last[key].Section} (key '{key}'), which comes later and replaces it, as in block.c: ignored"));
            return true;
        }
        mounts.RemoveAll(m => Replaced(m.Enabled, m.Enabled ? FstabKeys.Of(m.Uuid, m.Label, m.Device) : "", m.Line, m.Section));
        swaps.RemoveAll(w => Replaced(w.Enabled, w.Enabled ? FstabKeys.Of(w.Uuid, w.Label, w.Device) : "", w.Line, w.Section));
    }

    private static void Later(Dictionary<string, (int Line, string Section)> last, string key, int line, string section)
    {
        if (!last.TryGetValue(key, out var seen) || seen.Line < line) last[key] = (line, section);
    }

    private static void WarnAboutSeveralExtroots(string file, List<FstabMount> mounts, List<FstabWarning> warnings)
    {
        var candidates = mounts.Where(m => m.Enabled && m.Extroot != ExtrootKind.None).ToList();
        if (candidates.Count < 2) return;
        var chosen = new FstabConfig(FstabGlobal.Defaults, mounts, [], []).Extroot!;
        foreach (var other in candidates.Where(m => !ReferenceEquals(m, chosen)))
            warnings.Add(new FstabWarning(file, other.Line, other.Section, null,
                $"also names a root (target {other.Target ?? "unset"}{(other.IsRootfs ? ", is_rootfs 1" : "")}); " +
                $"the extroot is {chosen.Section}"));
    }

    /// <summary>The options of one section, read with OpenWrt's rules; every surprise becomes a warning.</summary>
    private sealed class SectionReader(string file, string name, UciSection section, List<FstabWarning> warnings)
    {
        public string Name => name;

        public UciSection Section => section;

        public void Warn(string? option, int line, string message) => warnings.Add(new FstabWarning(file, line, name, option, message));

        public void CheckKnown(string[] known, string[] legacy)
        {
            foreach (var option in section.Options)
                if (!known.Contains(option.Name) && !legacy.Contains(option.Name))
                    Warn(option.Name, option.Line, $"unknown option '{option.Name}' for a {section.Type} section: ignored " +
                        $"(known: {string.Join(", ", known)})");
        }

        /// <summary>A BLOBMSG_TYPE_STRING option: uci_to_blob skips list values for it.</summary>
        public string? String(string option)
        {
            if (section[option] is not { } o) return null;
            if (!o.IsList) return o.Value;
            Warn(option, o.Line, $"'{option}' is a list; OpenWrt reads it only as a single option: ignored");
            return null;
        }

        /// <summary>A BLOBMSG_TYPE_INT32 option (strtol base 0 over the whole value), or null when absent or unreadable.</summary>
        public int? Int(string option)
        {
            if (String(option) is not { } value) return null;
            if (CNumbers.TryStrtolInt32(value, out var number)) return number;
            Warn(option, section[option]!.Line, $"'{value}' is not a number: OpenWrt's block.c ignores it");
            return null;
        }

        /// <summary>A block.c flag: an INT32 tested for non-zero; absent or unreadable means the default.</summary>
        public bool Flag(string option, bool fallback)
        {
            if (String(option) is not { } value) return fallback;
            if (CNumbers.TryStrtolInt32(value, out var number)) return number != 0;
            Warn(option, section[option]!.Line, $"'{value}' is not a number: OpenWrt's block.c ignores it, " +
                $"so the default {(fallback ? 1 : 0)} applies");
            return fallback;
        }

        /// <summary>A 2011 block-mount boolean: functions.sh config_get_bool, unknown words give the default.</summary>
        public bool Bool2011(string option, bool fallback)
        {
            if (String(option) is not { } value) return fallback;
            switch (value)
            {
                case "1" or "on" or "true" or "yes" or "enabled": return true;
                case "0" or "off" or "false" or "no" or "disabled": return false;
                default:
                    Warn(option, section[option]!.Line, $"'{value}' is not a boolean (1/0, on/off, true/false, yes/no, " +
                        $"enabled/disabled): the default {(fallback ? 1 : 0)} applies");
                    return fallback;
            }
        }
    }
}
