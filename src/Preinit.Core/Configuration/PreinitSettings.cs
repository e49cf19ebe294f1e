// The effective settings, read once from the layered configuration. A value that does not parse
// keeps its default and is reported: a typo on the kernel command line must not stop the boot.
using Microsoft.Extensions.Configuration;
using Preinit.Core.Sizes;

namespace Preinit.Core.Configuration;

public sealed class PreinitSettings
{
    public bool Debug { get; init; }
    public bool Shell { get; init; }
    public bool LoopRoot { get; init; } = true;
    public Headroom Headroom { get; init; } = Headroom.Auto;
    public ImageMethod ImageMethod { get; init; } = ImageMethod.Write;
    /// <summary>preinit.extroot: fstab, off, or a device spec.</summary>
    public ExtrootSetting Extroot { get; init; } = ExtrootSetting.Fstab;
    /// <summary>preinit.extroot.force: an overlay stick of another system is used and re-paired.</summary>
    public bool ExtrootForce { get; init; }
    public FsckMode Fsck { get; init; } = FsckMode.Auto;
    /// <summary>preinit.ramoverlay: the tmpfs for a RAM-only session's changes.</summary>
    public RamOverlaySize RamOverlay { get; init; } = RamOverlaySize.Default;
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public string InitCmd { get; init; } = "/sbin/init";
    public string InitPath { get; init; } = "/usr/sbin:/usr/bin:/sbin:/bin";
    public IReadOnlyList<string> InitEnv { get; init; } = [];

    /// <summary>failsafe=, preinit.failsafe: failsafe without waiting for a key.</summary>
    public bool Failsafe { get; init; }
    public TimeSpan FailsafeWaitTimeout { get; init; } = TimeSpan.FromSeconds(4);
    public bool NoFailsafe { get; init; }
    public bool SuppressStderr { get; init; } = true;
    public bool InitSuppressStderr { get; init; } = true;
    public bool NetMessages { get; init; }
    public bool NoFailsafeNetMessage { get; init; }
    public InterfaceSettings PreinitNetwork { get; init; } = new("", "192.168.1.1", "255.255.255.0", "192.168.1.255");
    public InterfaceSettings FailsafeNetwork { get; init; } = new("", "192.168.1.1", "255.255.255.0", "192.168.1.255");

    /// <summary>Values that could not be used, as messages naming the setting and the fix.</summary>
    public IReadOnlyList<string> Problems => [.. Rejected.Values.Select(r => r.Message)];

    /// <summary>The settings whose value was rejected, by key: what was rejected and the value in force instead.</summary>
    public IReadOnlyDictionary<string, RejectedSetting> Rejected { get; init; } = new Dictionary<string, RejectedSetting>();

    public static PreinitSettings From(IConfiguration config)
    {
        var rejected = new Dictionary<string, RejectedSetting>(StringComparer.OrdinalIgnoreCase);
        string Get(string key) => config[key] ?? SettingCatalog.Find(key)!.Default;
        void Reject(string key, string text, string why, string inForce) =>
            rejected[key] = new RejectedSetting(text, inForce, $"{key}='{text}' {why}; using {inForce}");

        bool Flag(string key)
        {
            var value = Get(key);
            if (TryParseFlag(value, out var flag)) return flag;
            var fallback = SettingCatalog.Find(key)!.Default;
            Reject(key, value, "is not a yes/no value (use y or n, 1 or 0)", fallback);
            return TryParseFlag(fallback, out var d) && d;
        }

        var headroomText = Get(SettingCatalog.Headroom);
        if (!Headroom.TryParse(headroomText, out var headroom))
            Reject(SettingCatalog.Headroom, headroomText, "is not a size (examples: 4M, 512K, 15%, auto)", "auto");

        var imageText = Get(SettingCatalog.Image);
        if (!Enum.TryParse<ImageMethod>(imageText, ignoreCase: true, out var imageMethod) || !Enum.IsDefined(imageMethod))
        {
            Reject(SettingCatalog.Image, imageText, "is not a method (write or copy)", "write");
            imageMethod = ImageMethod.Write;
        }

        var extrootText = Get(SettingCatalog.Extroot);
        // No stick rather than another one: a stick the user did not mean could be written to.
        if (!ExtrootSetting.TryParse(extrootText, out var extroot, out var specError))
            Reject(SettingCatalog.Extroot, extrootText.Trim(), "is not fstab, off or a device spec (LABEL=..., " +
                $"UUID=..., /dev/NAME): {specError}", "off");

        var fsckText = Get(SettingCatalog.Fsck);
        if (!Enum.TryParse<FsckMode>(fsckText, ignoreCase: true, out var fsck) || !Enum.IsDefined(fsck))
        {
            Reject(SettingCatalog.Fsck, fsckText, "is not auto, force or off", "auto");
            fsck = FsckMode.Auto;
        }

        var ramOverlayText = Get(SettingCatalog.RamOverlay);
        if (!RamOverlaySize.TryParse(ramOverlayText, out var ramOverlay))
            Reject(SettingCatalog.RamOverlay, ramOverlayText, "is not a size of at least 1M, a share of RAM " +
                "(1% to 100%) or off (examples: 256M, 50%)",
                RamOverlaySize.Default.TmpfsSize!);

        double Seconds(string key)
        {
            var text = Get(key);
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
                out var seconds)
                && seconds >= 0 && seconds <= 3600)
                return seconds;
            var fallback = SettingCatalog.Find(key)!.Default;
            Reject(key, text, "is not a number of seconds (0 to 3600)", fallback);
            return double.Parse(fallback, System.Globalization.CultureInfo.InvariantCulture);
        }

        InterfaceSettings Interface(string ifname, string ip, string netmask, string broadcast) =>
            new(Get(ifname).Trim(), Get(ip).Trim(), Get(netmask).Trim(), Get(broadcast).Trim());

        var preinitNetwork = Interface(SettingCatalog.PreinitIfname, SettingCatalog.PreinitIp, SettingCatalog.PreinitNetmask,
            SettingCatalog.PreinitBroadcast);
        var failsafeNetwork = Interface(SettingCatalog.FailsafeIfname, SettingCatalog.FailsafeIp, SettingCatalog.FailsafeNetmask,
            SettingCatalog.FailsafeBroadcast);
        // The 2010 text: failsafe uses its own interface; without one, the preinit interface.
        if (failsafeNetwork.Ifname.Length == 0) failsafeNetwork = failsafeNetwork with { Ifname = preinitNetwork.Ifname };

        return new PreinitSettings
        {
            Debug = Flag(SettingCatalog.Debug),
            Shell = Flag(SettingCatalog.Shell),
            LoopRoot = Flag(SettingCatalog.Loop),
            Headroom = headroom,
            ImageMethod = imageMethod,
            Extroot = extroot,
            ExtrootForce = Flag(SettingCatalog.ExtrootForce),
            Fsck = fsck,
            RamOverlay = ramOverlay,
            WaitTimeout = TimeSpan.FromSeconds(Seconds(SettingCatalog.Wait)),
            InitCmd = Get(SettingCatalog.InitCmd),
            InitPath = Get(SettingCatalog.InitPath),
            InitEnv = Get(SettingCatalog.InitEnv).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Failsafe = Flag(SettingCatalog.Failsafe),
            FailsafeWaitTimeout = TimeSpan.FromSeconds(Seconds(SettingCatalog.FailsafeWaitTimeout)),
            NoFailsafe = Flag(SettingCatalog.NoFailsafe),
            SuppressStderr = Flag(SettingCatalog.SuppressStderr),
            InitSuppressStderr = Flag(SettingCatalog.InitSuppressStderr),
            NetMessages = Flag(SettingCatalog.NetMessages),
            NoFailsafeNetMessage = Flag(SettingCatalog.NoFailsafeNetMessage),
            PreinitNetwork = preinitNetwork,
            FailsafeNetwork = failsafeNetwork,
            Rejected = rejected,
        };
    }

    public static bool TryParseFlag(string value, out bool flag)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "1" or "y" or "yes" or "true" or "on": flag = true; return true;
            case "0" or "n" or "no" or "false" or "off" or "": flag = false; return true;
            default: flag = false; return false;
        }
    }
}

/// <param name="Text">The value as written.</param>
/// <param name="InForce">The value used instead.</param>
/// <param name="Message">The setting, what is wrong with the value, and what is used.</param>
public sealed record RejectedSetting(string Text, string InForce, string Message);

/// <summary>An interface and its IPv4 settings as written (pi_ifname, pi_ip...); checked when they are used.</summary>
public sealed record InterfaceSettings(string Ifname, string Ip, string Netmask, string Broadcast);
