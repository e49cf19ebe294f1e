// What to tell the user when no device matches: every block device found, and for the most
// likely stick the exact command that gives it the label we looked for; or, when the stick is
// there with a damaged superblock, the command that repairs it (and never the advice to format it).
using Preinit.Core.Probing;
using Preinit.Core.Sizes;

namespace Preinit.Core.Devices;

public static class DeviceReport
{
    public static IReadOnlyList<string> NothingMatches(DeviceSpec spec, IReadOnlyList<ProbedDevice> seen, TimeSpan waited,
        Func<ProbedDevice, string?> excluded)
    {
        var lines = new List<string> { $"no device matches {spec} (waited {waited.TotalSeconds:0.0} s)." };
        if (seen.Count == 0)
        {
            lines.Add("no block devices at all: is the stick plugged in, and is its USB host driver in the image?");
            return lines;
        }
        lines.Add("block devices found:");
        lines.AddRange(seen.Select(d => "  " + Line(d, excluded(d))));

        if (seen.FirstOrDefault(d => excluded(d) is null && d.AsBackupDescribes is { } copy
            && spec.Matches(copy)) is { DamagedExt: { } damaged } stick)
        {
            lines.Add($"{stick.Device.DevicePath} is {spec} with a damaged superblock: " +
                $"the backup copy at block {damaged.Block} still names it. Its files are most likely intact. Repair it with: " +
                $"{damaged.RepairCommand(stick.Device.DevicePath)} (in the failsafe shell or on any Linux), then reboot. Do not format it");
            return lines;
        }
        if (Likely(seen, excluded) is { DamagedExt: { } backup } broken)
        {
            lines.Add($"the likely stick {broken.Device.DevicePath} has a damaged {backup.Filesystem.Type} superblock; " +
                $"repair it before anything else: {backup.RepairCommand(broken.Device.DevicePath)}");
            return lines;
        }
        // A Live image written to a stick (not a CD drive) can keep the changes itself, after the image.
        if (spec.Kind == SpecKind.Label && spec.Value == Stick.DiskContents.DataLabel
            && seen.FirstOrDefault(d => d.Device.Parent is null && d.Type == "iso9660"
                && !d.Device.Name.StartsWith("sr", StringComparison.Ordinal)) is { } bootStick)
            lines.Add($"the Live image is on the disk {bootStick.Device.DevicePath}: to keep changes on it, " +
                $"run preinit stick {bootStick.Device.DevicePath} (it adds a rootfs_data partition after the image), then reboot");
        if (Likely(seen, excluded) is { } candidate && spec.Kind == SpecKind.Label)
        {
            var command = LabelTool.For(candidate.Type, candidate.Device.DevicePath, spec.Value);
            if (command is null && !candidate.Device.Removable)
                lines.Add($"no removable device found; if {candidate.Device.DevicePath} is the stick, " +
                    $"give it a filesystem labelled {spec.Value}");
            else lines.Add(command is null
                ? $"the likely stick {candidate.Device.DevicePath} has {candidate.Type ?? "no filesystem"}; format it with a label, " +
                    $"e.g. mkfs.ext4 -L {spec.Value} {candidate.Device.DevicePath} (this erases it)"
                : $"if {candidate.Device.DevicePath} is the stick, label it: {command}   (or: " +
                    $"preinit label {candidate.Device.DevicePath} {spec.Value})");
        }
        return lines;
    }

    public static string Line(ProbedDevice d, string? excludedBecause = null)
    {
        var parts = new List<string> { d.Device.DevicePath, ByteSize.Human(d.Device.SizeBytes),
            d.ProbeError is { } error ? $"(unreadable: {error})"
            : Damage(d) is { } damage ? $"({damage})"
            : d.Type ?? "(no filesystem)" };
        if (d.Label is not null) parts.Add($"LABEL=\"{PrintableText.Escape(d.Label)}\"");
        if (d.Uuid is not null) parts.Add($"UUID={PrintableText.Escape(d.Uuid)}");
        if (d.PartLabel is not null) parts.Add($"PARTLABEL=\"{PrintableText.Escape(d.PartLabel)}\"");
        parts.Add(d.Device.Removable ? "removable" : "fixed");
        if (excludedBecause is not null) parts.Add($"(not used: {excludedBecause})");
        return string.Join("  ", parts);
    }

    /// <summary>What the backup superblock of a device with a damaged one says, or null.</summary>
    public static string? Damage(ProbedDevice d) => d.DamagedExt is { Filesystem: var copy }
        ? $"damaged {copy.Type} superblock; its backup says" +
            (copy.Label is null ? "" : $" LABEL=\"{PrintableText.Escape(copy.Label)}\"") + $" UUID={copy.Uuid}"
        : null;

    /// <summary>A removable device with a filesystem beats a fixed one; a partition beats its disk; a device
    /// that could not be read is never proposed.</summary>
    public static ProbedDevice? Likely(IReadOnlyList<ProbedDevice> seen, Func<ProbedDevice, string?> excluded) =>
        seen.Where(d => excluded(d) is null && !d.Device.IsLoop && d.ProbeError is null)
            .OrderByDescending(d => d.Device.Removable)
            .ThenByDescending(d => d.Type is not null)
            .ThenByDescending(d => d.Device.Parent is not null)
            .ThenBy(d => d.Device.Name, StringComparer.Ordinal)
            .FirstOrDefault();
}
