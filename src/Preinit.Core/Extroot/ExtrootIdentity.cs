// Which system an overlay stick belongs to. OpenWrt's fstools write the UUID of the router's own
// overlay partition to /etc/.extroot-uuid in the stick's upper layer and refuse a stick whose file
// names another: an upper layer only makes sense over the lower root it was written on. A Live CD
// has no flash partition to name, so the system is named by its release (os-release ID and
// VARIANT_ID, or openwrt_release DISTRIB_ID and DISTRIB_TARGET), and the build (BUILD_ID,
// VERSION_ID, DISTRIB_REVISION) is recorded to tell an upgrade from another system.
namespace Preinit.Core.Extroot;

/// <param name="System">What the stick must match, e.g. "openwrt x86/64".</param>
/// <param name="Build">Which build of it; a different one is an upgrade, noticed but accepted.</param>
/// <param name="StickUuid">In a record: the filesystem UUID of the stick it was written on, which tells the stick
/// paired here from a copy of it (or of its files) when several sticks carry the label.</param>
public sealed record SystemIdentity(string System, string Build, string? StickUuid = null)
{
    /// <summary>The record's path inside the upper layer (and so inside the running root).</summary>
    public const string RecordPath = "etc/.extroot-id";

    public const string Unknown = "unknown";

    /// <summary>From the text of /etc/os-release, /etc/openwrt_release, either, or neither (null).</summary>
    public static SystemIdentity FromRelease(string? osRelease, string? openwrtRelease)
    {
        var os = ReleaseFields(osRelease);
        var openwrt = ReleaseFields(openwrtRelease);
        string? Field(Dictionary<string, string> d, string key) => d.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var system = Field(openwrt, "DISTRIB_ID") is { } id
            ? Join(id, Field(openwrt, "DISTRIB_TARGET"))
            : Field(os, "ID") is { } osId ? Join(osId, Field(os, "VARIANT_ID")) : Unknown;
        var build = Field(os, "BUILD_ID") ?? Field(openwrt, "DISTRIB_REVISION") ?? Field(os, "VERSION_ID") ?? Unknown;
        return new SystemIdentity(system, build);
    }

    /// <summary>The record: key=value lines, the form of the release files it comes from.</summary>
    public string Format(string pairedAt) =>
        $"system={System}\nbuild={Build}\npaired={pairedAt}\n" + (StickUuid is null ? "" : $"uuid={StickUuid}\n");

    /// <summary>A record read back; null when it names no system (empty or not ours: then it is rewritten).</summary>
    public static SystemIdentity? Parse(string text)
    {
        var fields = ReleaseFields(text);
        return fields.TryGetValue("system", out var system) && system.Length > 0
            ? new SystemIdentity(system, fields.GetValueOrDefault("build") is { Length: > 0 } b ? b : Unknown,
                fields.GetValueOrDefault("uuid") is { Length: > 0 } uuid ? uuid : null)
            : null;
    }

    public override string ToString() => $"'{System}' build {Build}";

    private static string Join(string a, string? b) => b is null ? a : $"{a} {b}";

    /// <summary>KEY=value lines, the value optionally in single or double quotes (os-release(5) syntax, simplified: no escapes).</summary>
    private static Dictionary<string, string> ReleaseFields(string? text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            if (line.StartsWith('#') || eq <= 0) continue;
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0]) value = value[1..^1];
            fields[line[..eq].Trim()] = value;
        }
        return fields;
    }
}

/// <summary>How a stick stands to this system, best first: the order in which sticks with the same label are preferred.</summary>
public enum StickPairing
{
    /// <summary>Its record names this system and this very stick's UUID.</summary>
    PairedHere,
    /// <summary>Its record names this system, but another UUID (its files were copied from the paired stick) or none.</summary>
    ThisSystem,
    /// <summary>No record: a blank stick, or one written before records existed.</summary>
    Unpaired,
    /// <summary>Its record names another system.</summary>
    OtherSystem,
}

public static class StickPairings
{
    public static string Describe(this StickPairing pairing) => pairing switch
    {
        StickPairing.PairedHere => "paired with this system",
        StickPairing.ThisSystem => "holds changes of this system, recorded on another stick",
        StickPairing.Unpaired => "not paired with any system",
        _ => "paired with another system",
    };
}

public enum IdentityVerdict
{
    /// <summary>No layer yet: record this system.</summary>
    FirstUse,
    /// <summary>Recorded for this system and build, on this stick.</summary>
    Same,
    /// <summary>Recorded for this system and build, but not naming this stick (copied from another, or recorded before
    /// sticks were named): use it, record this stick.</summary>
    SameOtherStick,
    /// <summary>Recorded for this system by another build: use it, say so, record this build.</summary>
    OtherBuild,
    /// <summary>A layer with no record (written before records existed): use it, say so, record this system.</summary>
    Unrecorded,
    /// <summary>Recorded for another system and not allowed: leave it alone.</summary>
    OtherSystem,
    /// <summary>Recorded for another system, allowed (forced or pinned): use it and pair it with this one.</summary>
    Repaired,
}

/// <param name="Message">What to tell the user (null when there is nothing to say).</param>
/// <param name="Record">Whether to write this system's record before the stick is used.</param>
public sealed record IdentityCheck(IdentityVerdict Verdict, string? Message)
{
    public bool Use => Verdict != IdentityVerdict.OtherSystem;

    public bool Record => Verdict != IdentityVerdict.Same && Use;

    public static StickPairing Pairing(SystemIdentity current, SystemIdentity? recorded, string? stickUuid) =>
        recorded is null ? StickPairing.Unpaired
        : recorded.System != current.System ? StickPairing.OtherSystem
        : recorded.StickUuid is not null && string.Equals(recorded.StickUuid, stickUuid, StringComparison.OrdinalIgnoreCase)
            ? StickPairing.PairedHere
        : StickPairing.ThisSystem;

    /// <param name="recorded">The stick's record, or null.</param>
    /// <param name="layerInUse">Whether the upper layer already holds anything.</param>
    /// <param name="allowed">Why another system's stick may be used anyway
    /// (preinit.extroot.force=1, the stick named by UUID), or null.</param>
    /// <param name="device">For messages: the device.</param>
    /// <param name="uuid">For messages: the stick's filesystem UUID, to name it by.</param>
    public static IdentityCheck Decide(SystemIdentity current, SystemIdentity? recorded, bool layerInUse, string? allowed, string device,
        string? uuid)
    {
        if (recorded is null)
            return layerInUse
                ? new(IdentityVerdict.Unrecorded, $"{device}: its overlay was written by an older build that did " +
                    "not record the system; using it")
                : new(IdentityVerdict.FirstUse, null);
        if (recorded.System == current.System)
            return recorded.Build == current.Build
                ? new(uuid is null || string.Equals(recorded.StickUuid, uuid, StringComparison.OrdinalIgnoreCase)
                    ? IdentityVerdict.Same : IdentityVerdict.SameOtherStick, null)
                : new(IdentityVerdict.OtherBuild, $"{device}: its overlay was written by build {recorded.Build} of this system; " +
                    $"this is build {current.Build}: using it (check that the saved configuration still suits this build)");
        if (allowed is not null)
            return new(IdentityVerdict.Repaired, $"{device}: its overlay belongs to {recorded}, " +
                $"not to {current}; using it because {allowed}");
        return new(IdentityVerdict.OtherSystem, $"{device} belongs to another system: " +
            $"its overlay was written by {recorded}, this is {current}. It is left untouched. To use it here " +
            "(its saved files then show over this system), boot once with preinit.extroot.force=1, which pairs it with this system, " +
            $"or name this very stick: preinit.extroot=UUID={uuid ?? "..."} on the kernel command line or " +
            "option uuid in /etc/config/fstab");
    }
}
