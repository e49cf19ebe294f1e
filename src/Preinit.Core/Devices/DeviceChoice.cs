// Which device a spec means when several match. Never silently the first one:
//  1. devices that are never the stick drop out: a loop device backed by our own root image, and
//     the boot medium (the device carrying the Live CD's iso9660 filesystem, or a loop over it, and
//     a partition inside that filesystem: the EFI partition of a Live image written to a stick);
//  2. then a writable device wins over a read-only one (a write-protected stick is used only when
//     it is the only one: read-only, with its saved configuration);
//  3. then a removable device wins over a fixed one (the stick is removable; an old disk is not);
//  4. then the first by name, and the choice is reported with every candidate so the user can fix
//     the labels.
namespace Preinit.Core.Devices;

public sealed record Choice(ProbedDevice? Chosen, IReadOnlyList<ProbedDevice> Candidates, string? Warning);

public static class DeviceChoice
{
    public static Choice Choose(DeviceSpec spec, IEnumerable<ProbedDevice> devices, Func<ProbedDevice, string?> excluded)
    {
        var matches = devices.Where(spec.Matches).OrderBy(d => d.Device.Name, StringComparer.Ordinal).ToList();
        var eligible = new List<ProbedDevice>();
        var notes = new List<string>();
        foreach (var m in matches)
        {
            if (excluded(m) is { } why) notes.Add($"{m.Device.DevicePath} ignored: {why}");
            else eligible.Add(m);
        }
        if (eligible.Count <= 1)
            return new Choice(eligible.FirstOrDefault(), matches, notes.Count > 0 ? string.Join("; ", notes) : null);

        var writable = eligible.Where(d => !d.Device.ReadOnly).ToList();
        var usable = writable.Count > 0 ? writable : eligible;
        var removable = usable.Where(d => d.Device.Removable).ToList();
        var pool = removable.Count > 0 ? removable : usable;
        var chosen = pool[0];
        var preferred = new List<string>();
        if (writable.Count > 0 && writable.Count < eligible.Count) preferred.Add("writable");
        if (removable.Count > 0 && removable.Count < usable.Count) preferred.Add("removable");
        if (pool.Count > 1) preferred.Add("first by name");
        var reasons = string.Join(", ", preferred);
        var warning = $"{eligible.Count} devices match {spec}: {string.Join(", ", eligible.Select(Describe))}; " +
            $"using {chosen.Device.DevicePath} ({reasons}). Give the others another label, or name the device by UUID=.";
        if (notes.Count > 0) warning += " " + string.Join("; ", notes);
        return new Choice(chosen, matches, warning);
    }

    /// <summary>The first of an fstab section's specs that names a device now, in the order block.c find_block_info
    /// tries them (uuid, label, device); null when none does.</summary>
    public static Choice? FirstFound(IEnumerable<DeviceSpec> specs, IReadOnlyList<ProbedDevice> devices, Func<ProbedDevice, string?> excluded)
    {
        foreach (var spec in specs)
            if (Choose(spec, devices, excluded) is { Chosen: not null } choice) return choice;
        return null;
    }

    public static string Describe(ProbedDevice d) =>
        $"{d.Device.DevicePath} ({(d.Device.Removable ? "removable" : "fixed")}{(d.Device.ReadOnly ? ", read-only" : "")}, " +
        $"{d.Type ?? "no filesystem"}, UUID={(d.Uuid is null ? "-" : Probing.PrintableText.Escape(d.Uuid))})";
}
