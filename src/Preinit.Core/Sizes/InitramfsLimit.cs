// How far stage 1 raises the initramfs's size limit before it writes the root image into it. The
// kernel mounts the initramfs as a tmpfs capped at half of RAM (shmem's default size), and the tree
// and its image both live there, so a rootfs could use only a quarter of RAM (a 127 MiB Debian
// rootfs needed 672 MiB). Stage 1 is the only writer, so the cap rises to what is in use plus what
// RAM has available, less a reserve for the kernel and preinit: a tree too large for RAM still ends
// in ENOSPC (and stage 2 in place), not in the OOM killer, which has only PID 1 to kill.
namespace Preinit.Core.Sizes;

public static class InitramfsLimit
{
    /// <summary>The least RAM kept out of the initramfs; a 32nd of RAM when that is more.</summary>
    public const long MinimumReserveBytes = 32L << 20;

    public static long Reserve(long totalBytes) => Math.Max(MinimumReserveBytes, totalBytes / 32);

    /// <returns>The new limit in bytes, or null when the current one is as high already.</returns>
    public static long? Raised(long usedBytes, long limitBytes, long availableBytes, long totalBytes)
    {
        var raised = usedBytes + availableBytes - Reserve(totalBytes);
        return raised > limitBytes ? raised : null;
    }

    /// <summary>MemTotal and MemAvailable in bytes from the text of /proc/meminfo (proc(5): "MemTotal: 123 kB");
    /// false when either is missing (MemAvailable is there since Linux 3.14).</summary>
    public static bool TryReadMeminfo(string text, out long totalBytes, out long availableBytes)
    {
        (totalBytes, availableBytes) = (-1, -1);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || fields[2] != "kB" || !long.TryParse(fields[1], out var kib)) continue;
            if (fields[0] == "MemTotal:") totalBytes = kib * 1024;
            else if (fields[0] == "MemAvailable:") availableBytes = kib * 1024;
        }
        return totalBytes >= 0 && availableBytes >= 0;
    }
}
