// `preinit hotplug`: the resident handler for sticks that come and go after boot (OpenWrt's `block
// hotplug`, fed by our own uevent socket instead of procd). It listens first, so nothing is missed;
// loads the drivers of the hardware present; lets the buses settle (what boot's wait found, and a
// disk still being scanned); then does what `preinit mount` does once for everything present, as
// block mount at boot; from then on each block device added or removed is handled as block.c's
// hotplug does (HotplugPlan). Nothing that arrives may end it: a bad fstab, a device gone while it
// is probed, a failed mount are each one line, and the next event is handled.
using System.Diagnostics;
using Preinit.Boot.Extroot;
using Preinit.Boot.Kernel;
using Preinit.Boot.Logging;
using Preinit.Boot.Platform;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Interop;

namespace Preinit.Boot.Devices;

/// <param name="loadDrivers">Load drivers for new hardware (when a module index exists); filesystem drivers are loaded for a
/// mount either way.</param>
public sealed class HotplugHandler(string fstabPath, ModuleLoader loader, bool loadDrivers, Action<string> log)
{
    /// <summary>The longest the start waits for the buses to settle (the 30 s `preinit mount --wait` gave the Live CD).</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly Coldplug? _coldplug = loadDrivers ? new Coldplug(loader, log) : null;
    private readonly FstabMounter _mounter = new(loader, log);

    /// <summary>Without devtmpfs (OpenWrt's kernels) nobody else makes the node of a device that appears; on a devtmpfs the
    /// kernel has made it before the uevent, and one made here for a device already gone again would be stale.</summary>
    private readonly bool _makeNodes = !IsDevtmpfs("/dev");
    private FstabConfig? _config;
    private (DateTime, long)? _configStamp;

    /// <summary>Runs until the process is ended (SIGTERM is the caller's).</summary>
    public void Run()
    {
        using var uevents = new UeventListener();
        Settle(uevents);
        Start();
        log("hotplug: waiting for devices to be plugged in or removed");
        while (true)
        {
            var e = Next(uevents, Timeout.InfiniteTimeSpan, out var lost);
            if (lost) Start();
            else if (e is not null) Handle(e);
        }
    }

    /// <summary>The next uevent; when the kernel dropped some because the queue was full (ENOBUFS), <paramref name="lost"/>:
    /// the drivers of everything present are loaded again, and the caller looks at every device again.</summary>
    private Uevent? Next(UeventListener uevents, TimeSpan timeout, out bool lost)
    {
        lost = false;
        try { return uevents.Next(timeout); }
        catch (SystemCallException ex) when (ex.Errno == Errno.ENOBUFS)
        {
            log("hotplug: uevents were lost (the queue was full); looking at every device again");
            lost = true;
            _coldplug?.LoadForPresentDevices();
            return null;
        }
    }

    /// <summary>Loads drivers for the hardware present and for what appears meanwhile, until the kernel has been quiet
    /// for <see cref="DeviceWaiter.QuietTime"/> with no USB storage still being scanned, or <see cref="StartLimit"/>.</summary>
    private void Settle(UeventListener uevents)
    {
        var clock = Stopwatch.StartNew();
        if (_coldplug is not null)
            for (var round = 0; round < 4 && _coldplug.LoadForPresentDevices().Count > 0; round++) { }
        var lastEvent = clock.Elapsed;
        while (clock.Elapsed < StartLimit)
        {
            var quietFor = clock.Elapsed - lastEvent;
            if (quietFor >= DeviceWaiter.QuietTime)
            {
                if (UsbStorage.Pending().Count == 0) return;
                quietFor = DeviceWaiter.QuietTime - TimeSpan.FromMilliseconds(250); // poll the pending disk again soon
            }
            var e = Next(uevents, DeviceWaiter.QuietTime - quietFor, out var lost);
            if (lost) lastEvent = clock.Elapsed; // Start looks at every device anyway
            if (e is null) continue;
            lastEvent = clock.Elapsed;
            // What is added meanwhile is mounted by Start; what goes away cannot wait for it.
            if (e.Action == "remove") Handle(e);
            else Drivers(e);
        }
        log($"hotplug: the buses were still busy after {StartLimit.TotalSeconds:0} s; going on");
    }

    /// <summary>Everything present now, once, as `preinit mount` and boot's swap step would.</summary>
    private void Start()
    {
        try
        {
            if (Config() is not { } config) return;
            var devices = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
            _mounter.Run(MountPlan.For(config, devices, MountTable.Sources(), MountPoint.Is, DeviceExclusion.Reason));
            SwapOnStep.SwitchOn(config, devices, log);
        }
        catch (Exception e) { log($"hotplug: the devices present at start were not all handled: {e.Message}"); }
    }

    private void Handle(Uevent e)
    {
        try
        {
            Drivers(e);
            if (e.Subsystem != "block") return;
            var name = e.DevName ?? Path.GetFileName(e.DevPath);
            if (name.StartsWith("loop", StringComparison.Ordinal) || name.StartsWith("ram", StringComparison.Ordinal)) return;
            if (e.Action == "add") Added(name);
            else if (e.Action == "remove") Removed("/dev/" + name);
        }
        catch (Exception ex) { log($"hotplug: {e.Action} {e.DevName ?? e.DevPath}: not handled: {ex.Message}"); }
    }

    /// <summary>A node for the device where /dev is no devtmpfs, and the drivers new hardware needs.</summary>
    private void Drivers(Uevent e)
    {
        if (_makeNodes) DeviceNodes.MakeFor(e);
        if (e.Action == "add" && e.Modalias is { } modalias) _coldplug?.LoadFor(modalias);
    }

    private void Added(string name)
    {
        if (SysfsBlockDevices.Read(Path.Combine("/sys/class/block", name)) is not { } block)
        {
            log($"hotplug: /dev/{name} was added and is gone again (or empty)");
            return;
        }
        var device = DeviceProber.ProbeAll([block])[0];
        if (device.Type is null && device.DamagedExt is null && device.ProbeError is null) return; // a partition table, or blank
        if (device.ProbeError is { } error) log($"hotplug: {block.DevicePath} could not be read: {error}");
        if (Config() is { } config)
        {
            var decision = HotplugPlan.ForAdded(config, device, MountTable.Sources(), MountPoint.Is, SwapOnStep.ActiveSwaps(),
                DeviceExclusion.Reason);
            switch (decision.Action)
            {
                case HotplugAction.Mount: _mounter.Mount(decision.Mount!); break;
                case HotplugAction.Swap: SwapOnStep.Activate(decision.Swap!, log); break;
                default: log(decision.Why); break;
            }
        }
        else log($"{block.DevicePath} not mounted: there is no {fstabPath}");
        if (HotplugPlan.PersistHint(device, RootOverlay.Current()?.RamOnly == true) is { } hint)
            ConsoleAnnouncement.Say(hint, ConsoleAnnouncement.Notice);
    }

    private void Removed(string devicePath)
    {
        var mountedOn = new List<string>();
        foreach (var entry in MountTable.Read())
            if (entry.Source == devicePath) mountedOn.Add(entry.Target);
        var overlay = RootOverlay.Current();
        var plan = HotplugPlan.ForRemoved(devicePath, mountedOn, SwapOnStep.ActiveSwaps().Contains(devicePath), overlay?.Upper,
            overlay?.Lower ?? []);
        if (plan.RootWarning is { } warning)
        {
            ConsoleAnnouncement.Say(warning, ConsoleAnnouncement.Critical);
            try { File.AppendAllText(PersistenceNotice.File, warning + "\n"); } // shown again at every login
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        foreach (var target in plan.Unmount) Unmount(devicePath, target);
        if (plan.Swapoff)
        {
            try
            {
                Libc.Swapoff(devicePath);
                log($"swap off {devicePath} (the device was removed)");
            }
            catch (SystemCallException e) { log($"swap {devicePath} was removed and could not be switched off: {e.Message}"); }
        }
    }

    /// <summary>block.c unmounts with MNT_DETACH at once; a plain unmount first says whether something still used it.</summary>
    private void Unmount(string devicePath, string target)
    {
        try
        {
            try
            {
                Libc.Umount2(target, 0);
                log($"unmounted {devicePath} from {target} (the device was removed)");
            }
            catch (SystemCallException e) when (e.Errno == Errno.EBUSY)
            {
                Libc.Umount2(target, Libc.MNT_DETACH);
                log($"unmounted {devicePath} from {target} lazily (the device was removed; something still had files open there)");
            }
        }
        catch (SystemCallException e)
        {
            log($"{devicePath} was removed but {target} could not be unmounted: {e.Message}");
            return;
        }
        // The directory /mnt/NAME was made for this device (block.c removes every mount point it unmounts).
        if (target.StartsWith("/mnt/", StringComparison.Ordinal))
            try { Libc.Rmdir(target); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool IsDevtmpfs(string directory)
    {
        string? type = null;
        foreach (var entry in MountTable.Read())
            if (entry.Target == directory) type = entry.Type; // the last mount there is the one seen
        return type == "devtmpfs";
    }

    /// <summary>The fstab, read again when it changed (as block.c reads it at every event); its problems are said once.</summary>
    private FstabConfig? Config()
    {
        var info = new FileInfo(fstabPath);
        (DateTime, long)? stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        if (stamp == _configStamp && _configStamp is not null) return _config;
        _configStamp = stamp;
        _config = FstabFile.Read(fstabPath, w => log($"Warning: {w}"));
        return _config;
    }
}
