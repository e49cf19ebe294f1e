// Modules without modules.dep (OpenWrt's): the index made from the modules' own .modinfo must load
// what the one depmod made loads, for every module of the Debian kernel we ship (its full set, as
// ./publish.sh unpacks it into out/cache), by name, by exact alias and by the modaliases of this
// machine's hardware.
using Preinit.Boot.Kernel;
using Preinit.Core.Elf;
using Preinit.Core.Modules;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public class ModinfoIndexTests
{
    [Fact]
    public void ModuleInfo_ReadsNameDependsAliasesAndSoftdeps()
    {
        var info = ModuleInfo.Parse("kernel/fs/ext4/ext4.ko",
            System.Text.Encoding.UTF8.GetBytes("license=GPL\0depends=mbcache,jbd2,crc16\0softdep=pre: crc32c post: x\0" +
                "softdep=pre: sha256\0alias=fs-ext4\0alias=fs-ext2\0name=ext4\0vermagic=6.1\0"));

        Assert.Equal("ext4", info.Name);
        Assert.Equal(["mbcache", "jbd2", "crc16"], info.Depends);
        Assert.Equal(["fs-ext4", "fs-ext2"], info.Aliases);
        Assert.Equal(["crc32c"], info.SoftPre);
    }

    [Fact]
    public void ElfSections_NoElfFile_IsNoSection() => Assert.Null(ElfSections.Find("not an ELF file at all, just text"u8, ".modinfo"));

    [PublishedFact]
    public void EveryModuleOfTheShippedKernel_LoadsTheSameFromModinfoAsFromModulesDep()
    {
        var directory = ShippedKernelModules();
        string Read(string name) => File.ReadAllText(Path.Combine(directory, name));
        var depmod = ModuleIndex.Parse(Read("modules.dep"), Read("modules.softdep"), Read("modules.alias"), Read("modules.builtin"));
        var problems = new List<string>();
        var modinfo = ModuleIndex.FromModules(ModinfoScan.Read(directory, problems), Read("modules.builtin"));

        Assert.Empty(problems);
        Assert.Equal(depmod.Count, modinfo.Count);
        Assert.True(depmod.Count > 3000, $"only {depmod.Count} modules: not the whole kernel");
        var compared = 0;
        foreach (var line in Read("modules.dep").Split('\n'))
        {
            if (line.IndexOf(':') is var colon && colon <= 0) continue;
            Same(ModuleIndex.NameOf(line[..colon]));
            compared++;
        }
        foreach (var line in Read("modules.alias").Split('\n'))
            if (line.Split(' ') is ["alias", var alias, _] && alias.IndexOfAny(['*', '?', '[']) < 0) Same(alias);
        foreach (var modalias in HostModaliases())
            Assert.Equal(depmod.ModulesFor(modalias).Order(StringComparer.Ordinal),
                modinfo.ModulesFor(modalias).Order(StringComparer.Ordinal));
        Assert.Equal(depmod.Count, compared);

        void Same(string name)
        {
            // The load order may differ where depmod's differs from .modinfo's;
            // what is loaded, and each module after what it needs, may not.
            var expected = depmod.Resolve(name);
            var actual = modinfo.Resolve(name);
            Assert.Equal(Set(expected), Set(actual));
            var loaded = new HashSet<string>();
            foreach (var module in actual)
            {
                foreach (var needed in depmod.Resolve(module.Name))
                    Assert.True(needed.Name == module.Name || needed.Optional || loaded.Contains(needed.Name),
                        $"{name}: {module.Name} before {needed.Name}");
                loaded.Add(module.Name);
            }
        }
    }

    [PublishedFact]
    public void ModuleLoader_StaleOrMissingModulesDep_ReadsTheModulesThemselves()
    {
        var kernel = ShippedKernelModules();
        var directory = Directory.CreateTempSubdirectory("preinit-modules.").FullName;
        try
        {
            string[] ext4 = ["kernel/fs/ext4/ext4.ko", "kernel/fs/jbd2/jbd2.ko", "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko"];
            foreach (var module in ext4)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, module))!);
                File.Copy(Path.Combine(kernel, module), Path.Combine(directory, module));
            }
            string[] Loads(List<string> log) =>
                [.. new ModuleLoader(directory, log.Add).Index.Resolve("fs-ext4").Select(m => m.RelativePath)
                    .Order(StringComparer.Ordinal)];

            var missing = new List<string>();
            Assert.Equal(ext4.Order(StringComparer.Ordinal), Loads(missing));
            Assert.Contains(missing, l => l.EndsWith(": dependencies and aliases read from the .modinfo of its 4 modules",
                StringComparison.Ordinal));

            // A modules.dep made before ext4 and its dependencies were added.
            File.WriteAllText(Path.Combine(directory, "modules.dep"), "kernel/lib/crc16.ko:\n");
            var stale = new List<string>();
            Assert.Equal(ext4.Order(StringComparer.Ordinal), Loads(stale));
            Assert.Contains(stale, l => l.Contains("modules.dep is stale: it does not list kernel/", StringComparison.Ordinal));

            // One that lists them all is believed.
            File.WriteAllText(Path.Combine(directory, "modules.dep"),
                "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko\nkernel/fs/jbd2/jbd2.ko:\n" +
                    "kernel/fs/mbcache.ko:\nkernel/lib/crc16.ko:\n");
            File.WriteAllText(Path.Combine(directory, "modules.alias"), "alias fs-ext4 ext4\n");
            var current = new List<string>();
            Assert.Equal(ext4.Order(StringComparer.Ordinal), Loads(current));
            Assert.Empty(current);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    /// <summary>/lib/modules/VERSION of the kernel package ./publish.sh build unpacks into out/cache.</summary>
    private static string ShippedKernelModules()
    {
        var versions = Path.Combine(Paths.Out, "cache/kernel/lib/modules");
        Tier.Require(Directory.Exists(versions) ? null : $"{versions} missing (./publish.sh build unpacks the kernel package there)");
        return Directory.GetDirectories(versions).Single();
    }

    private static string[] Set(IReadOnlyList<ModuleLoad> loads) =>
        [.. loads.Select(l => $"{l.Name} {l.RelativePath} {l.Optional}").Order(StringComparer.Ordinal)];

    /// <summary>Every device of this machine that has a modalias, once each: /sys/bus/*/devices/* lists them all.</summary>
    private static IEnumerable<string> HostModaliases()
    {
        var modaliases = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var bus in Directory.EnumerateDirectories("/sys/bus"))
        {
            var devices = Path.Combine(bus, "devices");
            if (!Directory.Exists(devices)) continue;
            foreach (var device in Directory.EnumerateFileSystemEntries(devices))
            {
                try { if (File.ReadAllText(Path.Combine(device, "modalias")).Trim() is { Length: > 0 } m) modaliases.Add(m); }
                catch (IOException) { }
            }
        }
        return modaliases;
    }
}
