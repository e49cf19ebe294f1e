// The stick's identity record: which system a release file names, the record's round trip, and
// what each combination of record, layer and permission decides.
using Preinit.Boot.Extroot;
using Preinit.Core.Extroot;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class ExtrootIdentityTests
{
    private static readonly SystemIdentity Here = new("preinit-livecd x86_64", "abc123");

    [Theory]
    [InlineData("ID=preinit-livecd\nVARIANT_ID=x86_64\nBUILD_ID=abc123\n", null, "preinit-livecd x86_64", "abc123")]
    [InlineData("NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n", null, "debian", "12")]
    [InlineData("# comment\nID='alpine'\n", null, "alpine", "unknown")]
    [InlineData(null, "DISTRIB_ID='OpenWrt'\nDISTRIB_TARGET='x86/64'\nDISTRIB_REVISION='r23497-6637af95aa'\n", "OpenWrt x86/64",
        "r23497-6637af95aa")]
    [InlineData("ID=openwrt\nVERSION_ID=\"23.05.2\"\n", "DISTRIB_ID='OpenWrt'\nDISTRIB_TARGET='x86/64'\nDISTRIB_REVISION='r1'\n",
        "OpenWrt x86/64", "r1")]
    [InlineData(null, null, "unknown", "unknown")]
    [InlineData("garbage without equals\n=novalue\n", null, "unknown", "unknown")]
    public void FromRelease_NamesSystemAndBuild(string? osRelease, string? openwrtRelease, string system, string build) =>
        Assert.Equal(new SystemIdentity(system, build), SystemIdentity.FromRelease(osRelease, openwrtRelease));

    [Fact]
    public void Record_RoundTrips() =>
        Assert.Equal(Here, SystemIdentity.Parse(Here.Format("2026-11-22T00:00:00Z")));

    [Fact]
    public void Record_NamesTheStickItWasWrittenOn()
    {
        var paired = Here with { StickUuid = "1234-abcd" };
        var text = paired.Format("2026-12-06T00:00:00Z");
        Assert.Contains("uuid=1234-abcd\n", text);
        Assert.Equal(paired, SystemIdentity.Parse(text));
    }

    [Theory]
    [InlineData(null, null, StickPairing.Unpaired)]
    [InlineData("OpenWrt x86/64", "1234-abcd", StickPairing.OtherSystem)]
    [InlineData("preinit-livecd x86_64", "1234-ABCD", StickPairing.PairedHere)]
    [InlineData("preinit-livecd x86_64", "9999-0000", StickPairing.ThisSystem)]
    [InlineData("preinit-livecd x86_64", null, StickPairing.ThisSystem)]
    public void Pairing_NamesHowTheStickStandsToThisSystem(string? recordedSystem, string? recordedUuid, StickPairing expected)
    {
        var recorded = recordedSystem is null ? null : new SystemIdentity(recordedSystem, "any", recordedUuid);
        Assert.Equal(expected, IdentityCheck.Pairing(Here, recorded, "1234-abcd"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("some-uuid-as-openwrt-writes-it\n")]
    [InlineData("build=1\n")]
    public void Parse_RecordNamingNoSystem_IsNoRecord(string text) => Assert.Null(SystemIdentity.Parse(text));

    [Theory]
    [InlineData(null, false, null, IdentityVerdict.FirstUse, true, true)]
    [InlineData(null, true, null, IdentityVerdict.Unrecorded, true, true)]
    [InlineData("preinit-livecd x86_64|abc123|1234-ABCD", true, null, IdentityVerdict.Same, true, false)]
    [InlineData("preinit-livecd x86_64|abc123", true, null, IdentityVerdict.SameOtherStick, true, true)]
    [InlineData("preinit-livecd x86_64|abc123|9999-0000", true, null, IdentityVerdict.SameOtherStick, true, true)]
    [InlineData("preinit-livecd x86_64|old999", true, null, IdentityVerdict.OtherBuild, true, true)]
    [InlineData("OpenWrt x86/64|r1", true, null, IdentityVerdict.OtherSystem, false, false)]
    [InlineData("OpenWrt x86/64|r1", true, "preinit.extroot.force=1", IdentityVerdict.Repaired, true, true)]
    public void Decide_Table(string? recorded, bool layerInUse, string? allowed, IdentityVerdict verdict, bool use, bool record)
    {
        var r = recorded?.Split('|') switch
        {
            [var s, var b] => new SystemIdentity(s, b),
            [var s, var b, var uuid] => new SystemIdentity(s, b, uuid),
            _ => null,
        };
        var check = IdentityCheck.Decide(Here, r, layerInUse, allowed, "/dev/sda", "1234-abcd");
        Assert.Equal((verdict, use, record), (check.Verdict, check.Use, check.Record));
    }

    [Fact]
    public void Decide_OtherSystem_SaysWhichAndHowToRepair()
    {
        var check = IdentityCheck.Decide(Here, new SystemIdentity("OpenWrt x86/64", "r1"), true, null, "/dev/sda", "1234-abcd");
        Assert.Contains("'OpenWrt x86/64' build r1", check.Message);
        Assert.Contains("'preinit-livecd x86_64' build abc123", check.Message);
        Assert.Contains("preinit.extroot.force=1", check.Message);
        Assert.Contains("preinit.extroot=UUID=1234-abcd", check.Message);
    }

    [Fact]
    public void StickIdentity_WritesAndReadsTheRecordInTheUpperLayer()
    {
        var upper = Directory.CreateTempSubdirectory("preinit-upper.").FullName;
        try
        {
            Assert.False(StickIdentity.LayerInUse(upper));
            Assert.Null(StickIdentity.Read(upper));
            StickIdentity.Write(upper, Here);
            Assert.Equal(Here, StickIdentity.Read(upper));
            Assert.True(StickIdentity.LayerInUse(upper));
            Assert.True(File.Exists(Path.Combine(upper, "etc/.extroot-id")));
            Assert.False(File.Exists(Path.Combine(upper, "etc/.extroot-id.new")));
        }
        finally { Directory.Delete(upper, true); }
    }

    [Fact]
    public void StickIdentity_Current_ReadsTheRootsReleaseFiles()
    {
        var root = Directory.CreateTempSubdirectory("preinit-root.").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllText(Path.Combine(root, "etc/os-release"), "ID=preinit-livecd\nVARIANT_ID=x86_64\nBUILD_ID=abc123\n");
            Assert.Equal(Here, StickIdentity.Current(root));
        }
        finally { Directory.Delete(root, true); }
    }
}
