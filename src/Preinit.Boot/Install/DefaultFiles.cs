// The default settings and fstab `preinit install` drops into a rootfs, and the boot menu `preinit
// mklive` writes: the repository's own files, embedded at build time (Preinit.Boot.csproj), so there
// is one copy of each.
namespace Preinit.Boot.Install;

public static class DefaultFiles
{
    public static byte[] PreinitConf => Read("rootfs-overlay/lib/preinit/00_preinit.conf");

    /// <summary>The Live image's boot menu table (src/LiveCd/boot-menu), for both loaders.</summary>
    public static string BootMenu => System.Text.Encoding.UTF8.GetString(Read("boot-menu"));

    /// <summary>`config global` and the 2011 extroot `config mount` for the stick labelled rootfs_data.</summary>
    public static byte[] Fstab => Read("rootfs-overlay/etc/config/fstab");

    /// <summary>The `config mount` section of <see cref="Fstab"/>: the lines to add to an fstab that has no extroot entry.</summary>
    public static string FstabExtrootSection
    {
        get
        {
            var text = System.Text.Encoding.UTF8.GetString(Fstab);
            return text[text.IndexOf("config mount", StringComparison.Ordinal)..];
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DefaultFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is not in {typeof(DefaultFiles).Assembly.GetName().Name} " +
                "(see its csproj)");
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
