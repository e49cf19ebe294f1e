// How a stick stands to this system (see StickPairing), read without changing the stick (mounted
// read-only, ext3 and ext4 with noload: see ReadOnlyStickMount): its
// identity record. Boot does this only when several devices carry the label.
using Preinit.Boot.Kernel;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;

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
            pairing = ReadOnlyStickMount.Read(path, type, staging, top =>
                IdentityCheck.Pairing(_current ??= StickIdentity.Current(), StickIdentity.Read(new OverlayPivotRequest(top).StickUpper),
                    device.Uuid));
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
