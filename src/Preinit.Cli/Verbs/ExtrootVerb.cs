// `preinit extroot`: which stick boot would use for the overlay root and why: the fstab entry (or
// preinit.extroot), the device it names now, whether fsck would run, and what / is right now.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Devices;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class ExtrootVerb
{
    public const string FstabPath = "/etc/config/fstab";

    public static Command Create()
    {
        var fstab = new Option<string>("--fstab") { Description = "the UCI fstab to read", DefaultValueFactory = _ => FstabPath };
        var commandLine = ConfigOptions.CommandLine();
        var command = new Command("extroot", "show which stick boot would use for the overlay root, and why") { fstab, commandLine };
        command.SetAction(result =>
        {
            using var host = PreinitHost.Build(HostInputs.FromSystem(booting: false, result.GetValue(commandLine)));
            var settings = host.Services.GetRequiredService<PreinitSettings>();
            var path = result.GetValue(fstab)!;
            FstabMount? entry = null;
            if (File.Exists(path))
            {
                var parsed = UciParser.Parse(File.ReadAllBytes(path), "fstab", path);
                var config = FstabReader.Read(parsed.Package, path);
                foreach (var p in parsed.Problems) Console.Error.WriteLine($"Warning: {p}");
                foreach (var w in config.Warnings) Console.Error.WriteLine($"Warning: {w}");
                entry = config.Extroot;
            }
            Console.WriteLine($"root now: {RootNow()}");
            if (settings.Extroot.Equals("off", StringComparison.OrdinalIgnoreCase))
            {
                Console.WriteLine("extroot: off (preinit.extroot=off): boot keeps the root in RAM");
                return 0;
            }
            DeviceSpec spec;
            if (!settings.Extroot.Equals("fstab", StringComparison.OrdinalIgnoreCase))
            {
                if (!DeviceSpec.TryParse(settings.Extroot, out spec, out var error)) { Console.Error.WriteLine($"Error: preinit.extroot: {error}"); return 2; }
                Console.WriteLine($"extroot: {spec} (from preinit.extroot on the kernel command line)");
            }
            else if (entry is null)
            {
                Console.WriteLine($"extroot: none: {path} has no enabled entry with target /overlay, target / or is_rootfs 1");
                return 1;
            }
            else
            {
                spec = entry.Spec;
                Console.WriteLine($"extroot: {spec} from {entry.Section} ({path}:{entry.Line}), target {entry.Target ?? "/overlay"}, " +
                    $"options {entry.Options ?? "(none)"}, {(entry.Extroot == ExtrootKind.Root ? "whole root" : "overlay upper layer")}");
            }
            var fsck = settings.Fsck switch
            {
                FsckMode.Force => "fsck: always (preinit.fsck=force)",
                FsckMode.Off => "fsck: never (preinit.fsck=off)",
                _ => entry is { EnabledFsck: true } ? "fsck: yes (enabled_fsck 1)" : "fsck: no (enabled_fsck is not set)",
            };
            Console.WriteLine(fsck);
            var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
            return WaitVerb.Report(spec, new WaitResult(DeviceChoice.Choose(spec, seen, DeviceExclusion.Reason), TimeSpan.Zero, seen), showTime: false);
        });
        return command;
    }

    private static string RootNow()
    {
        try
        {
            var type = Libc.FilesystemType("/");
            return type == Libc.OVERLAYFS_SUPER_MAGIC ? "overlay (changes are saved on the stick)"
                : type is Libc.RAMFS_MAGIC or Libc.TMPFS_MAGIC or Libc.EXT2_SUPER_MAGIC ? "in RAM or on disk, not an overlay (changes are not saved on a stick)"
                : $"filesystem 0x{type:x}";
        }
        catch (SystemCallException e) { return e.Message; }
    }
}
