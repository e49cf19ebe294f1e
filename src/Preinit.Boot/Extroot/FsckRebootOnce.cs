// fsck status 2 ("errors corrected, reboot the system"), as the 2011 wrapper asked: reboot, but only
// once. A Live CD keeps nothing across a reboot except the stick itself, so the marker that stops a
// reboot loop is a file at the top of the stick's filesystem. The boot after the reboot that hears
// status 2 again finds it and uses the stick read-only; the first clean check removes it.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

/// <param name="reboot">Restarts the machine; returns only in tests.</param>
/// <param name="staging">Where the stick is mounted briefly to read or write the marker.</param>
public sealed class FsckRebootOnce(Action<string> log, Action reboot, string staging = "/tmp/.preinit-fsck")
{
    public const string MarkerName = ".preinit-fsck-reboot";

    /// <summary>The production reboot: flush, then restart (reboot(2) as PID 1).</summary>
    public static void RebootNow()
    {
        Libc.Sync();
        Libc.Reboot(Libc.RB_AUTOBOOT);
    }

    /// <summary>Reboots when this stick has not had its reboot yet; otherwise (or when the marker cannot be
    /// written) returns, and the stick is to be mounted read-only.</summary>
    public void RebootOrGoOn(string device, string? type)
    {
        if (type is null)
        {
            log($"{device}: its filesystem type is unknown, so no reboot marker can be kept on it: not rebooting");
            return;
        }
        try
        {
            Directory.CreateDirectory(staging);
            if (WithMounted(device, type, Libc.MS_RDONLY, dir => File.Exists(Path.Combine(dir, MarkerName))))
            {
                log($"{device}: fsck asked for a reboot again, after the reboot it asked for last time " +
                    $"({MarkerName} is on the stick): not rebooting again");
                return;
            }
            WithMounted(device, type, 0, dir =>
            {
                using var marker = new FileStream(Path.Combine(dir, MarkerName), FileMode.Create, FileAccess.Write);
                marker.Write(System.Text.Encoding.UTF8.GetBytes("fsck asked for a reboot; " +
                    $"preinit rebooted at {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n"));
                marker.Flush(flushToDisk: true);
                return true;
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"{device}: cannot keep a reboot marker on it ({e.Message}): not rebooting, so a reboot loop is impossible");
            return;
        }
        log($"{device}: rebooting once, as fsck asked (the marker {MarkerName} on the stick stops a second reboot)");
        reboot();
    }

    /// <summary>After a clean check and a writable mount: the reboot has happened and the stick is fine again.</summary>
    public static void Clear(string mountPoint, Action<string> log)
    {
        var marker = Path.Combine(mountPoint, MarkerName);
        if (!File.Exists(marker)) return;
        File.Delete(marker);
        log($"removed {marker}: the reboot fsck asked for has happened and the stick checks clean now");
    }

    private T WithMounted<T>(string device, string type, ulong flags, Func<string, T> use)
    {
        Libc.Mount(device, staging, type, flags, null);
        try { return use(staging); }
        finally { Libc.Umount2(staging, 0); }
    }
}
