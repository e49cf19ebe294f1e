// The /dev node a uevent asks for, as devtmpfs makes it: its name, type, number and mode; and no
// node at all for a name that would leave /dev.
using Preinit.Core.Devices;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class DeviceNodeTests
{
    [Fact]
    public void From_SysfsUeventFile_GivesTheNodeWithItsModeOr0600()
    {
        Assert.Equal(new DeviceNode("null", false, 1, 3, 0b110_110_110),
            DeviceNode.From(DeviceNode.ParseUeventFile("MAJOR=1\nMINOR=3\nDEVNAME=null\nDEVMODE=0666\n"), block: false));
        Assert.Equal(new DeviceNode("sda1", true, 8, 1, DeviceNode.DefaultMode),
            DeviceNode.From(DeviceNode.ParseUeventFile("MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\nPARTN=1\n"), block: true));
        Assert.Equal("bus/usb/001/002", DeviceNode.From(DeviceNode.ParseUeventFile("MAJOR=189\nMINOR=1\nDEVNAME=bus/usb/001/002\n"),
            false)?.Name);
    }

    [Theory]
    [InlineData("MAJOR=1\nMINOR=3\nDEVNAME=../etc/passwd\n")]
    [InlineData("MAJOR=1\nMINOR=3\nDEVNAME=/etc/passwd\n")]
    [InlineData("MAJOR=1\nMINOR=3\nDEVNAME=a//b\n")]
    [InlineData("MAJOR=1\nMINOR=3\nDEVNAME=\n")]
    [InlineData("MAJOR=1\nDEVNAME=null\n")]
    [InlineData("MAJOR=x\nMINOR=3\nDEVNAME=null\n")]
    [InlineData("DEVTYPE=usb_interface\n")]
    public void From_NoNumberOrANameLeavingDev_IsNoNode(string uevent) =>
        Assert.Null(DeviceNode.From(DeviceNode.ParseUeventFile(uevent), block: false));

    [Fact]
    public void From_BadDevmode_KeepsTheDefault() =>
        Assert.Equal(DeviceNode.DefaultMode, DeviceNode.From(DeviceNode.ParseUeventFile("MAJOR=1\nMINOR=3\nDEVNAME=null\nDEVMODE=9z\n"),
            false)?.Mode);
}
