// Which swap boot switches on: configured sections found by uuid, label or name, anon_swap, and a
// reason for every section that does not take effect.
using Preinit.Boot.Extroot;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class SwapPlanTests
{
    private static ProbedDevice Dev(string name, string? type, string? label = null, string? uuid = null) =>
        new(new BlockDevice(name, 8, 0, 1L << 30, true, false, null, null, null), type, label, uuid, null, null);

    private static readonly ProbedDevice[] Devices =
    [
        Dev("sda1", "ext4", "rootfs_data"), Dev("sda2", "swap", "swap1", "1111-2222"), Dev("sdb", "swap", null, "3333"),
        Dev("sdc", "vfat", "notswap"), Dev("loop0", "swap"),
    ];

    private static SwapPlanResult Plan(string fstab, params string[] active) =>
        SwapPlan.For(FstabReader.Read(UciParser.Parse(System.Text.Encoding.UTF8.GetBytes(fstab), "fstab", "fstab").Package, "fstab"),
            Devices, active.ToHashSet(), d => d.Device.Name == "loop0" ? "it is preinit's own RAM root image" : null);

    [Fact]
    public void Configured_ByLabelUuidAndDevice_WithPriority()
    {
        var plan = Plan("config swap\n\toption label swap1\n\toption priority 5\nconfig swap\n\toption uuid 3333\nconfig swap\n" +
            "\toption device /dev/sdb\n\toption enabled 0\n");
        Assert.Equal([("/dev/sda2", (int?)5), ("/dev/sdb", null)], plan.Activate.Select(a => (a.DevicePath, a.Priority)));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void Configured_NotSwap_SaysHowToMakeIt()
    {
        var plan = Plan("config swap\n\toption label notswap\n");
        Assert.Empty(plan.Activate);
        Assert.Contains(plan.Notes, n => n.Contains("/dev/sdc, which holds vfat, not swap") && n.Contains("mkswap -L notswap /dev/sdc"));
    }

    [Fact]
    public void Configured_Missing_IsReported()
    {
        var plan = Plan("config swap\n\toption label gone\n");
        Assert.Empty(plan.Activate);
        Assert.Contains(plan.Notes, n => n.Contains("swap LABEL=gone (fstab.@swap[0]): no such device now"));
    }

    [Fact]
    public void Configured_AlreadyActive_IsNotSwitchedOnAgain()
    {
        var plan = Plan("config swap\n\toption label swap1\n", "/dev/sda2");
        Assert.Empty(plan.Activate);
        Assert.Contains(plan.Notes, n => n.Contains("/dev/sda2 is already in use"));
    }

    [Fact]
    public void AnonSwap_AddsEveryOtherSwapDevice_ButNotExcludedOnes()
    {
        var plan = Plan("config global\n\toption anon_swap 1\nconfig swap\n\toption label swap1\n");
        Assert.Equal(["/dev/sda2", "/dev/sdb"], plan.Activate.Select(a => a.DevicePath));
        Assert.Contains(plan.Notes, n => n.Contains("/dev/loop0 ignored"));
    }

    [Fact]
    public void NoSwapSections_NothingHappens()
    {
        var plan = Plan("config mount\n\toption label rootfs_data\n\toption target /overlay\n");
        Assert.Empty(plan.Activate);
        Assert.Empty(plan.Notes);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(5, 0x8005)]
    [InlineData(-1, 0xffff)]
    [InlineData(40000, 0x8000 | (40000 & 0x7fff))]
    public void Flags_PreferWithPriority(int? priority, int flags) => Assert.Equal(flags, SwapOnStep.Flags(priority));

    [Fact]
    public void SwapFile_IsLeftToFiles_AndSwitchedOnByItsPathWhenItHoldsSwap()
    {
        const string Fstab = "config swap\n\toption device /overlay/swapfile\nconfig swap\n\toption device /overlay/notswap\n" +
            "config swap\n\toption device /overlay/missing\n";
        Assert.Empty(Plan(Fstab).Notes); // not looked for as /dev/swapfile
        var config = FstabReader.Read(UciParser.Parse(System.Text.Encoding.UTF8.GetBytes(Fstab), "fstab", "fstab").Package, "fstab");
        Assert.Empty(config.Warnings);
        var files = SwapPlan.Files(config, p => p switch { "/overlay/swapfile" => "swap", "/overlay/notswap" => "", _ => null },
            new HashSet<string>());
        Assert.Equal(["/overlay/swapfile"], files.Activate.Select(a => a.DevicePath));
        Assert.Contains(files.Notes, n => n.Contains("/overlay/notswap (fstab.@swap[1]) holds no swap signature")
            && n.Contains("mkswap /overlay/notswap"));
        Assert.Contains(files.Notes, n => n.Contains("/overlay/missing (fstab.@swap[2]): no such file now"));
    }

    [Fact]
    public void PriorityZero_IsNoPriority_AndMinusOneIsKept_AsBlockC()
    {
        // block.c swap_add: `if (m->prio)` turns only a non-zero priority into flags; -1 passes as 0xffff (32767, preferred).
        var plan = Plan("config swap\n\toption label swap1\n\toption priority 0\nconfig swap\n\toption uuid 3333\n\toption priority -1\n");
        Assert.Equal([("/dev/sda2", (int?)null), ("/dev/sdb", -1)], plan.Activate.Select(a => (a.DevicePath, a.Priority)));
    }

    [Fact]
    public void ActiveSwaps_ReadsProcSwaps()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sda2                               " +
            "partition\t1048572\t\t0\t\t5\n");
        try { Assert.Equal(["/dev/sda2"], SwapOnStep.ActiveSwaps(file)); }
        finally { File.Delete(file); }
    }
}
