// Which device a spec means when several match. Never silently the first one:
//  1. devices that are never the stick drop out: a loop device backed by our own root image, and
//     the boot medium (the device carrying the Live CD's iso9660 filesystem, or a loop over it, and
//     a partition inside that filesystem: the EFI partition of a Live image written to a stick);
//  2. then the stick paired with this system wins (its identity record names this system and its
//     own UUID), then one whose record names this system, then a blank one, then another system's:
//     read only when several are left, as it means mounting each;
//  3. then a writable device wins over a read-only one (a write-protected stick is used only when
//     it is the only one: read-only, with its saved configuration);
//  4. then a removable device wins over a fixed one (the stick is removable; an old disk is not);
//  5. then the first by name, and the choice is reported with every candidate so the user can fix
//     the labels.
using Preinit.Core.Extroot;

namespace Preinit.Core.Devices;

public sealed record Choice(ProbedDevice? Chosen, IReadOnlyList<ProbedDevice> Candidates, string? Warning);

public static class DeviceChoice
{
    /// <param name="pairing">How a device stands to this system (read from its identity record), or null to leave that out.</param>
    public static Choice Choose(DeviceSpec spec, IEnumerable<ProbedDevice> devices, Func<ProbedDevice, string?> excluded,
        Func<ProbedDevice, StickPairing>? pairing = null)
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

        var bestPairing = StickPairing.OtherSystem;
        var best = pairing is null ? eligible : BestPaired(eligible, pairing, out bestPairing);
        var writable = best.Where(d => !d.Device.ReadOnly).ToList();
        var usable = writable.Count > 0 ? writable : best;
        var removable = usable.Where(d => d.Device.Removable).ToList();
        var pool = removable.Count > 0 ? removable : usable;
        var chosen = pool[0];
        var preferred = new List<string>();
        if (best.Count < eligible.Count) preferred.Add(bestPairing.Describe());
        if (writable.Count > 0 && writable.Count < best.Count) preferred.Add("writable");
        if (removable.Count > 0 && removable.Count < usable.Count) preferred.Add("removable");
        if (pool.Count > 1) preferred.Add("first by name");
        var reasons = string.Join(", ", preferred);
        var warning = $"{eligible.Count} devices match {spec}: {string.Join(", ", eligible.Select(Describe))}; " +
            $"using {chosen.Device.DevicePath} ({reasons}). Give the others another label, or name the device by UUID=.";
        if (notes.Count > 0) warning += " " + string.Join("; ", notes);
        return new Choice(chosen, matches, warning);
    }

    private static List<ProbedDevice> BestPaired(List<ProbedDevice> devices, Func<ProbedDevice, StickPairing> pairing,
        out StickPairing best)
    {
        var pairings = new StickPairing[devices.Count];
        best = StickPairing.OtherSystem;
        for (var i = 0; i < devices.Count; i++)
            if ((pairings[i] = pairing(devices[i])) < best) best = pairings[i];
        var chosen = new List<ProbedDevice>();
        for (var i = 0; i < devices.Count; i++)
            if (pairings[i] == best) chosen.Add(devices[i]);
        return chosen;
    }

    /// <summary>The first of an fstab section's specs that names a device now, in the order block.c find_block_info
    /// tries them (uuid, label, device); null when none does.</summary>
    public static Choice? FirstFound(IEnumerable<DeviceSpec> specs, IReadOnlyList<ProbedDevice> devices,
        Func<ProbedDevice, string?> excluded)
    {
        foreach (var spec in specs)
            if (Choose(spec, devices, excluded) is { Chosen: not null } choice) return choice;
        return null;
    }

    public static string Describe(ProbedDevice d) =>
        $"{d.Device.DevicePath} ({(d.Device.Removable ? "removable" : "fixed")}{(d.Device.ReadOnly ? ", read-only" : "")}, " +
        $"{d.Type ?? "no filesystem"}, UUID={(d.Uuid is null ? "-" : Probing.PrintableText.Escape(d.Uuid))})";
}
