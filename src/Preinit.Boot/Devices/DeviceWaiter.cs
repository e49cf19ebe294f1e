// Waits for the device a spec names: listens to kernel uevents first (so nothing is missed), then
// loads drivers for the hardware present, then looks; every uevent that adds hardware or a block
// device triggers driver loading and another look. Returns as soon as the device is there and no
// USB storage is still being scanned (another stick with the same label may be on its way; for a
// few seconds at most), or at the timeout, with how long it took and everything it saw. Boot's wait
// also ends without a match once nothing left could become the device: the kernel has been quiet
// for a moment (no uevent: no controller still enumerating, no disk still adding partitions) and no
// USB storage is still being scanned. So a boot without the stick does not sit out the timeout.
using System.Diagnostics;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;

namespace Preinit.Boot.Devices;

public sealed record WaitResult(Choice Choice, TimeSpan Elapsed, IReadOnlyList<ProbedDevice> Seen)
{
    public ProbedDevice? Device => Choice.Chosen;
}

/// <param name="makeNodes">Boot's wait: make the /dev node of each device that appears (without devtmpfs nobody else does);
/// the verbs leave the /dev of the system they run on alone.</param>
/// <param name="endWhenSettled">Boot's wait: asked once nothing left could become the device; true gives up before the
/// timeout (a search started early says false while the failsafe prompt still waits: a stick plugged in meanwhile is
/// still found). Null: the `wait` verb waits for a device someone is about to plug in, so it keeps waiting.</param>
public sealed class DeviceWaiter(Coldplug? coldplug, Action<string> log, string sysRoot = "/sys", string devDirectory = "/dev",
    bool makeNodes = false, Func<bool>? endWhenSettled = null)
{
    /// <summary>How long a match waits for USB storage still being scanned before it is used anyway.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);

    /// <summary>How long the kernel must have sent no uevent for the buses to count as settled. USB enumerates a device
    /// some hundred milliseconds after its port powers up; usb-storage then waits its delay_use (1 s), while the
    /// interface is pending (<see cref="UsbStorage.Pending"/>) and keeps the wait going.</summary>
    public static readonly TimeSpan QuietTime = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PendingPoll = TimeSpan.FromMilliseconds(250);

    public WaitResult Wait(DeviceSpec spec, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var uevents = new UeventListener();
        LoadDrivers();
        // Devices that appeared before the listener opened (while coldplug loaded their drivers) have no uevent to come.
        if (makeNodes) DeviceNodes.Populate(devDirectory, sysRoot);
        TimeSpan? settled = null;
        var lastEvent = clock.Elapsed;
        while (true)
        {
            var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate(sysRoot), devDirectory);
            var choice = DeviceChoice.Choose(spec, seen, DeviceExclusion.Reason);
            if (clock.Elapsed >= timeout || (choice.Chosen is not null && (spec.Kind == SpecKind.Path
                || !StillScanning(clock, ref settled))))
                return new WaitResult(choice, clock.Elapsed, seen);

            // Sleep until the kernel reports something relevant, or the time is up.
            var until = settled is { } s && s < timeout ? s : timeout;
            if (endWhenSettled is not null && choice.Chosen is null)
            {
                if (clock.Elapsed - lastEvent >= QuietTime)
                {
                    if (UsbStorage.Pending(sysRoot) is { Count: 0 } && endWhenSettled())
                    {
                        log($"no match, and nothing left that could be {spec}: " +
                            $"no uevent for {QuietTime.TotalSeconds:0} s and no USB storage being scanned " +
                            $"(waited {clock.Elapsed.TotalSeconds:0.0} s of {timeout.TotalSeconds:0})");
                        return new WaitResult(choice, clock.Elapsed, seen);
                    }
                    until = Min(until, clock.Elapsed + PendingPoll); // a disk's uevent ends the sleep sooner
                }
                else until = Min(until, lastEvent + QuietTime);
            }
            while (uevents.Next(until - clock.Elapsed) is { } e)
            {
                lastEvent = clock.Elapsed;
                if (makeNodes) DeviceNodes.MakeFor(e, devDirectory);
                if (e.Modalias is { } modalias && e.Action == "add") coldplug?.LoadFor(modalias);
                if (e.Subsystem == "block" && e.Action is "add" or "change")
                {
                    log($"{e.Action} {e.DevName ?? e.DevPath} after {clock.ElapsedMilliseconds} ms");
                    break;
                }
                if (clock.Elapsed >= until) break;
            }
        }
    }

    /// <summary>Each section's device, one after the other, within one time limit for all (`preinit mount --wait`): a
    /// device already there costs nothing, and what is still missing at the end is for the caller to report.</summary>
    public void WaitForEach(IEnumerable<FstabMount> sections, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        foreach (var section in sections)
            if (clock.Elapsed < limit) Wait(section.Spec, limit - clock.Elapsed);
    }

    /// <summary>After a match: whether USB storage is still being scanned (a second stick with the same label may be on
    /// its way), for at most <see cref="SettleLimit"/> from the first match.</summary>
    private bool StillScanning(Stopwatch clock, ref TimeSpan? settled)
    {
        var pending = UsbStorage.Pending(sysRoot);
        if (pending.Count == 0) return false;
        if (settled is null)
        {
            settled = clock.Elapsed + SettleLimit;
            log($"found a match; waiting up to {SettleLimit.TotalSeconds:0} s for USB storage still being scanned " +
                $"({string.Join(", ", pending)})");
            return true;
        }
        if (clock.Elapsed < settled) return true;
        log($"USB storage still not scanned after {SettleLimit.TotalSeconds:0} s ({string.Join(", ", pending)}): deciding without it");
        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void LoadDrivers()
    {
        if (coldplug is null) return;
        // A loaded driver (USB host controller) brings new devices with modaliases of their own.
        for (var round = 0; round < 4 && coldplug.LoadForPresentDevices().Count > 0; round++) { }
    }
}

/// <summary>Devices that are never the stick (or a swap device), and why. A write-protected stick is still the
/// stick: it is used read-only (DeviceChoice prefers a writable one).</summary>
public static class DeviceExclusion
{
    public const string RootImageName = ".preinit-root.img";

    public static string? Reason(ProbedDevice d)
    {
        if (d.Device.LoopBackingFile?.Contains(RootImageName, StringComparison.Ordinal) == true)
            return "it is preinit's own RAM root image";
        if (d.Type is "iso9660" or "squashfs" or "erofs")
            return $"{d.Type} is a read-only boot medium";
        // A UDF bridge disc (a DVD image, an installer) was iso9660 to us before we knew UDF; a UDF disk never was the stick.
        if (d.Type is "udf")
            return "udf is a disc format (a DVD image or an installer), never the stick";
        if (d.InsideImageOf is { } disk)
            return $"it lies inside the Live image on {disk} (the boot medium's EFI partition)";
        return null;
    }

    public static string? SwapReason(ProbedDevice d) =>
        Reason(d) ?? (d.Device.ReadOnly ? "the device is read-only" : null);
}
