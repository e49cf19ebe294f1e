// The text parsers that read what a user or a stick wrote (the UCI fstab, 00_preinit.conf, the
// kernel command line, and the settings made of them), each fed thousands of mutated copies of a
// real example. Every case must return normally: a parser answers bad input with problems, never
// with an exception that would end the step reading it.
using Microsoft.Extensions.Configuration;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Preinit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Preinit.Tests.Unit.Fuzz;

public class ParserFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 2011;
    private static readonly int Cases = 3000 * FuzzCases.Scale;

    private const string Fstab = """
        config 'global'
        	option	anon_swap	'0'
        	option	auto_mount	'1'
        	option	delay_root	'5'
        	option	check_fs	'1'

        config 'mount'
        	option	target	'/overlay'
        	option	uuid	'c91232a0-c50a-4eae-adb9-14b4d3ce3de1'
        	option	label	"rootfs_data"
        	option	fstype	'ext4'
        	option	options	'rw,noatime,data=ordered'
        	option	enabled	'1'
        	option	enabled_fsck '1'

        config mount data
        	option device /dev/sdb2
        	option target /mnt/data
        	list options 'ro'
        	option is_rootfs 0

        config 'swap'
        	option	label	'swap'
        	option	priority '-1'
        	option	enabled	'1'
        # a comment, and a value over two lines
        config mount
        	option target '/mnt/x\
        y'
        """;

    private const string Conf = """
        # 00_preinit.conf
        pi_ifname=eth0
        pi_ip=192.168.1.1
        pi_netmask="255.255.255.0"
        pi_broadcast='192.168.1.255'
        fs_failsafe_wait_timeout=2
        pi_suppress_stderr="y"
        pi_init_suppress_stderr=y
        pi_init_path="/bin:/sbin:/usr/bin:/usr/sbin"
        pi_init_cmd=/sbin/init
        preinit_wait=15 # a comment
        headroom=4M
        """;

    private const string CommandLine =
        "BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 console=tty0 console=ttyS0,115200n8 \"preinit.extroot=LABEL=rootfs data\" " +
        "preinit.wait=5 preinit.fsck=force preinit.headroom=10% preinit.debug failsafe=1 init=/sbin/init preinit.image=copy -- single";

    /// <summary>Devices the example's sections name, so the plans get past "nothing matches".</summary>
    private static readonly ProbedDevice[] Devices =
    [
        new(new BlockDevice("sdb1", 8, 17, 1L << 30, true, false, "sdb", 1, null), "ext4", "rootfs_data",
            "c91232a0-c50a-4eae-adb9-14b4d3ce3de1", null, null),
        new(new BlockDevice("sdb2", 8, 18, 1L << 30, true, false, "sdb", 2, null), "vfat", "data", "1234-ABCD", null, null),
        new(new BlockDevice("sdb3", 8, 19, 1L << 28, true, false, "sdb", 3, null), "swap", "swap", null, null, null),
    ];

    [Fact]
    public void Fstab_MutatedCopies_ParseAndReadWithoutAnException()
    {
        var seed = System.Text.Encoding.UTF8.GetBytes(Fstab);
        var problems = Run(seed, bytes =>
        {
            var parsed = UciParser.Parse(bytes, "fstab", "/etc/config/fstab");
            var config = FstabReader.Read(parsed.Package, "/etc/config/fstab");
            _ = config.Extroot;
            foreach (var mount in config.Mounts) _ = MountOptions.Parse(mount.Options);
            var mounts = MountPlan.For(config, Devices, new HashSet<string>(), _ => false, _ => null);
            var swaps = SwapPlan.For(config, Devices, new HashSet<string>(), _ => null);
            return parsed.Problems.Count + config.Warnings.Count + mounts.Notes.Count + swaps.Notes.Count;
        });
        output.WriteLine($"{Cases} fstab cases, {problems} problems and warnings reported");
        Assert.True(problems > 0, "the mutations never reached a problem: they are not reaching the parser");
    }

    [Fact]
    public void ConfAndCommandLine_MutatedCopies_GiveSettingsWithoutAnException()
    {
        var conf = System.Text.Encoding.UTF8.GetBytes(Conf);
        var commandLine = System.Text.Encoding.UTF8.GetBytes(CommandLine);
        var problems = Run(conf, bytes => Settings(System.Text.Encoding.UTF8.GetString(bytes), CommandLine));
        problems += Run(commandLine, bytes => Settings(Conf, System.Text.Encoding.UTF8.GetString(bytes)));
        output.WriteLine($"{2 * Cases} conf and command line cases, {problems} problems reported");
        Assert.True(problems > 0, "the mutations never reached a problem: they are not reaching the parser");
    }

    private static int Settings(string conf, string commandLine)
    {
        var confSource = new ShellConfSource("/lib/preinit/00_preinit.conf", conf);
        var commandLineSource = new KernelCommandLineSource(commandLine);
        var configuration = new ConfigurationBuilder().Add(new DefaultsSource()).Add(confSource).Add(commandLineSource).Build();
        var settings = PreinitSettings.From(configuration);
        return confSource.Problems.Count + commandLineSource.UnknownKeys.Count + settings.Problems.Count;
    }

    /// <summary>Runs every case; a case that throws fails the test with its number, to be replayed.</summary>
    private static int Run(byte[] seed, Func<byte[], int> parse)
    {
        var random = new Random(Seed);
        var problems = 0;
        for (var i = 0; i < Cases; i++)
        {
            var input = FuzzCases.Mutate(seed, random);
            try { problems += parse(input); }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\ninput: {Convert.ToBase64String(input)}");
            }
        }
        return problems;
    }
}
