// A QEMU guest for the VM tier: TCG (KVM guests hang on these machines), serial console on a
// pipe, bounded by a timeout, and no network card unless a test adds its own (QEMU would otherwise
// give every guest one with user-mode networking). Every failure message carries the whole console.
using System.Diagnostics;
using System.Text;
using Xunit;

namespace Preinit.Tests.Support;

public sealed class QemuMachine : IDisposable
{
    private readonly Background _qemu;
    private readonly string _monitorSocket = Path.Combine(Path.GetTempPath(), $"preinit-qemu-{Guid.NewGuid():N}.sock");

    private readonly List<string> _temporaryFiles;

    private QemuMachine(IEnumerable<string> args, List<string>? temporaryFiles = null)
    {
        _temporaryFiles = temporaryFiles ?? [];
        Tier.Require(Tier.VmMissing());
        _qemu = Tools.Start("qemu-system-x86_64", new[] { "-accel", "tcg", "-m", "512M", "-display", "none",
            "-monitor", $"unix:{_monitorSocket},server,nowait", "-serial", "stdio", "-no-reboot", "-nic",
                "none" }.Concat(OneXhciController(args)));
    }

    public static QemuMachine BootIso(string iso) => Boot(iso, Firmware.SeaBios, BootMedium.Cd);

    /// <summary>Boots <paramref name="image"/> (live.iso) from <paramref name="medium"/> on <paramref name="firmware"/>;
    /// <paramref name="extra"/> adds devices (e.g. <see cref="UsbStick"/>: it shares the boot disk's xHCI controller).
    /// A USB disk and the UEFI variable store are copies, deleted with the machine: the files given are never written.</summary>
    public static QemuMachine Boot(string image, Firmware firmware, BootMedium medium, params string[] extra)
    {
        var temporary = new List<string>();
        try
        {
            string[] args = [.. FirmwareArguments(firmware, temporary), .. MediumArguments(image, medium, temporary), .. extra];
            return new QemuMachine(args, temporary);
        }
        catch
        {
            foreach (var f in temporary) File.Delete(f);
            throw;
        }
    }

    public const string OvmfDirectory = "/usr/share/OVMF";

    private static string[] FirmwareArguments(Firmware firmware, List<string> temporary)
    {
        if (firmware == Firmware.SeaBios) return [];
        var secure = firmware == Firmware.OvmfSecureBoot;
        // The _4M builds are the ones Debian's ovmf ships with Secure Boot; the .ms vars have Microsoft's
        // keys enrolled (its UEFI CA signed shim), the plain vars have none (Secure Boot off).
        var code = Path.Combine(OvmfDirectory, secure ? "OVMF_CODE_4M.secboot.fd" : "OVMF_CODE_4M.fd");
        var vars = Path.Combine(OvmfDirectory, secure ? "OVMF_VARS_4M.ms.fd" : "OVMF_VARS_4M.fd");
        foreach (var f in new[] { code, vars })
            if (!File.Exists(f)) Assert.Fail($"UEFI firmware {f} missing (./publish.sh deps installs ovmf)");
        var varsCopy = TemporaryCopy(vars, temporary);
        return
        [
            // Secure Boot needs SMM, and the flash marked secure, so only SMM code can write the variables.
            "-machine", secure ? "q35,smm=on" : "q35",
            .. secure ? new[] { "-global", "driver=cfi.pflash01,property=secure,value=on" } : [],
            "-drive", $"if=pflash,format=raw,readonly=on,file={code}",
            "-drive", $"if=pflash,format=raw,file={varsCopy}",
        ];
    }

    private static string[] MediumArguments(string image, BootMedium medium, List<string> temporary) => medium switch
    {
        BootMedium.Cd => ["-cdrom", image, "-boot", "d"],
        // The image as a USB disk (dd to a stick): a copy, as the guest may write to it.
        BootMedium.UsbDisk => UsbDiskArguments(TemporaryCopy(image, temporary)),
        _ => throw new ArgumentOutOfRangeException(nameof(medium)),
    };

    private static string[] UsbDiskArguments(string image) =>
    [
        "-device", XhciController,
        "-drive", $"if=none,id=boot,format=raw,file={image}",
        "-device", "usb-storage,bus=xhci.0,drive=boot,id=boot0,bootindex=0",
    ];

    private static string TemporaryCopy(string file, List<string> temporary)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"preinit-qemu-{Guid.NewGuid():N}-{Path.GetFileName(file)}");
        temporary.Add(copy);
        File.Copy(file, copy);
        return copy;
    }

    private const string XhciController = "qemu-xhci,id=xhci";

    /// <summary>The USB boot disk and a stick each ask for the xHCI controller; QEMU refuses two with one id,
    /// and one controller takes both, so only the first request is kept.</summary>
    private static IEnumerable<string> OneXhciController(IEnumerable<string> args)
    {
        var list = args.ToList();
        var seen = false;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == "-device" && i + 1 < list.Count && list[i + 1] == XhciController)
            {
                if (seen) { i++; continue; }
                seen = true;
            }
            yield return list[i];
        }
    }

    /// <summary>Boots a stick in place: unlike <see cref="Boot"/> the guest writes to <paramref name="image"/> itself,
    /// so a second boot finds what the first one saved there.</summary>
    public static QemuMachine BootStick(string image, Firmware firmware, params string[] extra)
    {
        var temporary = new List<string>();
        try
        {
            string[] args = [.. FirmwareArguments(firmware, temporary), .. UsbDiskArguments(image), .. extra];
            return new QemuMachine(args, temporary);
        }
        catch
        {
            foreach (var f in temporary) File.Delete(f);
            throw;
        }
    }

    /// <summary>Direct kernel boot, for tests that need their own command line or initramfs.</summary>
    public static QemuMachine BootKernel(string initramfs, string append, params string[] extra) =>
        new(["-kernel", Paths.Kernel, "-initrd", initramfs, "-append", $"console=ttyS0,115200 panic=1 {append}", .. extra]);

    /// <summary>QEMU arguments for a USB stick on an xHCI controller; with <paramref name="plugged"/> false the
    /// drive exists but the stick is plugged in later through <see cref="Monitor"/>; <paramref name="writeProtected"/>
    /// is a stick with its lock switch on (the guest's disk reports Write Protect); <paramref name="drive"/> names the stick
    /// for <see cref="Plug"/> and <see cref="Unplug"/> when there are several; <paramref name="writeBytesPerSecond"/> a slow
    /// stick (QEMU's I/O throttling), so a test can be sure a write is still going on.</summary>
    public static string[] UsbStick(string image, bool plugged = true, bool writeProtected = false, string drive = "stick",
        long writeBytesPerSecond = 0) =>
    [
        "-device", XhciController,
        "-drive", $"if=none,id={drive},format=raw,file={image}{(writeProtected ? ",readonly=on" : "")}" +
            (writeBytesPerSecond > 0 ? $",throttling.bps-write={writeBytesPerSecond}" : ""),
        .. plugged ? new[] { "-device", $"usb-storage,bus=xhci.0,drive={drive},id={drive}0" } : [],
    ];

    public static readonly string PlugStick = Plug();

    /// <summary>The monitor command that plugs in the stick of <see cref="UsbStick"/>'s <paramref name="drive"/>.</summary>
    public static string Plug(string drive = "stick") => $"device_add usb-storage,bus=xhci.0,drive={drive},id={drive}0";

    /// <summary>The monitor command that pulls it out.</summary>
    public static string Unplug(string drive = "stick") => $"device_del {drive}0";

    /// <summary>Sends one command to the QEMU monitor (e.g. device_add) and returns its reply.</summary>
    public string Monitor(string command)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(_monitorSocket));
        using var stream = new System.Net.Sockets.NetworkStream(socket);
        stream.Write(Encoding.UTF8.GetBytes(command + "\n"));
        Thread.Sleep(500);
        var buffer = new byte[8192];
        var n = socket.Available > 0 ? stream.Read(buffer) : 0;
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public string Console => _qemu.Output;

    /// <summary>Waits until the console shows <paramref name="text"/>; fails with the console otherwise.</summary>
    public string WaitFor(string text, TimeSpan timeout) => WaitFor(text, timeout, 0);

    /// <summary>As <see cref="WaitFor(string, TimeSpan)"/>, looking only at console output after <paramref name="from"/>.</summary>
    public string WaitFor(string text, TimeSpan timeout, int from)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var console = Console;
            var at = console.IndexOf(text, Math.Min(from, console.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = console.IndexOf('\n', at);
                return end < 0 ? console[at..] : console[at..end].TrimEnd('\r');
            }
            if (_qemu.Process.HasExited)
                Assert.Fail($"QEMU exited ({_qemu.Process.ExitCode}) before the console showed '{text}'. Console:\n{console}");
            Thread.Sleep(100);
        }
        Assert.Fail($"the console did not show '{text}' within {timeout.TotalSeconds:0} s. Console:\n{Console}");
        return "";
    }

    /// <summary>Waits for busybox init's console prompt and presses Enter, so the Live CD's shell takes commands.</summary>
    public void OpenShell(TimeSpan timeout)
    {
        WaitFor("Please press Enter to activate this console", timeout);
        Type("");
    }

    public void Type(string line) => Send(line + "\n");

    /// <summary>Sends characters to the serial console as they are: a boot menu's hotkey, Ctrl-C ("\u0003").</summary>
    public void Send(string keys)
    {
        _qemu.Process.StandardInput.Write(keys);
        _qemu.Process.StandardInput.Flush();
    }

    /// <summary>Runs a command in the guest's shell and waits for it; returns its exit status. The end marker
    /// is split by quotes, so the console's echo of the typed line does not count as the end.</summary>
    public int Run(string command, TimeSpan timeout)
    {
        var from = Console.Length;
        Type($"{command}; echo \"end\"\"mark=$?\"");
        var line = WaitFor("endmark=", timeout, from);
        return int.Parse(line["endmark=".Length..].Trim());
    }

    /// <summary>Asserts the console contains every text, naming the first missing one.</summary>
    public void AssertShown(params string[] texts)
    {
        var console = Console;
        foreach (var t in texts)
            Assert.True(console.Contains(t, StringComparison.Ordinal), $"console lacks '{t}'. Console:\n{console}");
    }

    public void Dispose()
    {
        _qemu.Dispose();
        File.Delete(_monitorSocket);
        foreach (var f in _temporaryFiles) File.Delete(f);
    }
}

public enum Firmware
{
    /// <summary>QEMU's default PC BIOS: the ISO's isolinux (El Torito from a CD, the MBR from a disk).</summary>
    SeaBios,
    /// <summary>UEFI without Secure Boot (no keys enrolled): the ISO's EFI boot image, shim, GRUB.</summary>
    Ovmf,
    /// <summary>UEFI with Secure Boot on and Microsoft's keys: shim, GRUB and the kernel must be signed.</summary>
    OvmfSecureBoot,
}

public enum BootMedium { Cd, UsbDisk }
