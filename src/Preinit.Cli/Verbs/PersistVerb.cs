// `preinit persist [SPEC] [--force]`: saves the changes of this RAM-only session (the upper layer of
// the root overlay, in RAM) onto the stick boot would use (or SPEC), so the next boot with the
// stick has them: the stick is mounted on its own for a moment, paired with this system as boot
// pairs it, and its upper layer is replaced in one step by the saved changes with this session's
// over them (SessionPersister). A stick of another system is refused unless --force.
using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Persist;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Preinit.Core.Fstab;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public sealed class PersistVerb : Verb
{
    public const string MountPoint = "/tmp/.preinit-persist";

    public Argument<string?> Spec { get; } = new("SPEC")
    {
        Description = "the stick: LABEL=..., UUID=... or /dev/NAME (default: the one boot uses, from /etc/config/fstab or preinit.extroot)",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public Option<bool> Force { get; } = new("--force") { Description = "save onto a stick recorded for another " +
        "system, and pair it with this one" };
    public Option<string> Fstab { get; } = ConfigOptions.Fstab();
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();

    public PersistVerb() : base("persist", "save the changes of this RAM-only session onto the stick, so the next boot with it has them")
    {
        Add(Spec);
        Add(Force);
        Add(Fstab);
        Add(CommandLine);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        try
        {
            return Run(result.GetValue(Spec), result.GetValue(Force), result.GetValue(Fstab)!, result.GetValue(CommandLine), output, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PersistRefused) { return Fail(error, e.Message); }
    }

    private static int Run(string? specText, bool force, string fstabPath, string? commandLine, TextWriter output, TextWriter error)
    {
        var session = RootOverlay.Current();
        if (NotARamSession(session) is { } why) return Fail(error, why);

        using var host = PreinitHost.Build(HostInputs.FromSystem(booting: false, commandLine));
        var settings = host.Services.GetRequiredService<PreinitSettings>();
        DeviceSpec spec;
        if (specText is not null)
        {
            if (!DeviceSpec.TryParse(specText, out spec, out var malformed)) return Fail(error, malformed);
        }
        else
        {
            var plan = new ExtrootPlanner(settings, new BootFstab(fstabPath), error.WriteLine).Plan;
            if (plan.Spec is null) return Fail(error, $"{plan.NoneBecause}; name the stick: preinit persist LABEL=rootfs_data");
            if (plan.Kind == ExtrootKind.Root)
                return Fail(error, $"the stick is configured as a whole root (target /) in {fstabPath}: " +
                    "a session's changes cannot be saved into a root filesystem; name an overlay stick: preinit persist LABEL=rootfs_data");
            spec = plan.Spec;
        }

        var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
        var choice = DeviceChoice.Choose(spec, seen, DeviceExclusion.Reason);
        if (choice.Warning is { } warning) error.WriteLine($"Warning: {warning}");
        if (choice.Chosen is not { } stick)
        {
            foreach (var line in DeviceReport.NothingMatches(spec, seen, TimeSpan.Zero, DeviceExclusion.Reason)) error.WriteLine(line);
            return Fail(error, $"no device matches {spec}: plug the stick in, then run preinit persist again");
        }
        var device = stick.Device.DevicePath;
        if (stick.Device.ReadOnly)
            return Fail(error, $"{device} is write-protected: unlock it (the switch on its side), then run preinit persist again");
        if (ExtrootFilesystem.Refusal(stick.Type, device) is { } refusal) return Fail(error, refusal);
        var type = stick.Type!;

        Directory.CreateDirectory(MountPoint);
        Libc.Mount(device, MountPoint, type, Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null);
        try
        {
            var upper = new OverlayPivotRequest(MountPoint).StickUpper;
            // Who this system is, read from the RAM root under the session (at /rom), as boot reads it before the pivot.
            var current = StickIdentity.Current(Directory.Exists("/rom/etc") ? "/rom" : "/");
            var recorded = StickIdentity.Read(upper);
            // The rule boot chooses between sticks by; boot's own way round it (preinit.extroot.force) is --force here.
            if (IdentityCheck.Pairing(current, recorded, stick.Uuid) == StickPairing.OtherSystem && !force)
                return Fail(error, $"{device} belongs to another system: its saved changes were written by {recorded}, " +
                    $"this is {current}. Nothing was written. To save this session onto it anyway (its saved files stay, " +
                    "this session's changes go over them, and it is paired with this system): " +
                    $"preinit persist --force {specText ?? spec.ToString()}");
            var clock = Stopwatch.StartNew();
            error.WriteLine($"saving this session's changes ({session!.Upper}) onto {device} ({spec})...");
            var changes = SessionPersister.Save(session.Upper, MountPoint, current with { StickUuid = stick.Uuid }, error.WriteLine);
            output.WriteLine($"saved {changes} onto {device} in {clock.Elapsed.TotalSeconds:0.0} s: " +
                "the next boot with this stick has them. Changes from now on are in RAM again: run preinit persist again to save " +
                "them, or reboot with the stick");
            return 0;
        }
        finally { Libc.Umount2(MountPoint, 0); }
    }

    /// <summary>Why the running root is not a session this verb can save, or null.</summary>
    private static string? NotARamSession(RootOverlay? root) => root switch
    {
        null => "/ is not an overlay, so this session's changes are not one tree that can be saved. preinit " +
            "persist saves a RAM-only session of the Live CD (booted without its stick, " +
            $"with {SettingCatalog.CommandLinePrefix}{SettingCatalog.RamOverlay} on)",
        { ChangesInRam: false } => $"this session's changes are saved on the stick already ({root.Upper}): there is nothing to persist",
        { RamOnly: false } => $"this session uses a stick's saved changes read-only ({root.Lower[0]}) because that " +
            "stick cannot take changes now; make it writable (see /tmp/.preinit-persistence: unlock it, make room or repair it) and reboot",
        _ => null,
    };

}
