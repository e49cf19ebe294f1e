// How a stick stands to this system (see StickPairing), read without changing the stick: mounted
// read-only for a moment (ext3 and ext4 with noload, so not even a journal replay writes to it),
// its identity record read, unmounted. Boot does this only when several devices carry the label.
using Preinit.Boot.Kernel;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed class StickPairingReader(ModuleLoader loader, Action<string> log, string staging = "/tmp/.preinit-pairing")
{
    private SystemIdentity? _current;

    public StickPairing Read(ProbedDevice device)
    {
        var path = device.Device.DevicePath;
        if (device.Type is not { } type) return StickPairing.Unpaired;
        StickPairing pairing;
        try
        {
            FilesystemDriver.Ensure(loader, type, log);
            Directory.CreateDirectory(staging);
            Libc.Mount(path, staging, type, Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC,
                type is "ext3" or "ext4" ? "noload" : null);
            try { pairing = IdentityCheck.Pairing(_current ??= StickIdentity.Current(), StickIdentity.Read(new OverlayPivotRequest(staging).StickUpper), device.Uuid); }
            finally { Libc.Umount2(staging, 0); }
        }
        catch (Exception e)
        {
            log($"{path}: its identity record cannot be read ({e.Message}); counted as unpaired");
            return StickPairing.Unpaired;
        }
        log($"{path}: {pairing.Describe()}");
        return pairing;
    }
}
