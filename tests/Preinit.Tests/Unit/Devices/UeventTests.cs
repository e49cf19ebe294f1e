using System.Text;
using Preinit.Core.Devices;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class UeventTests
{
    [Fact]
    public void TryParse_KernelMessage_GivesActionPathAndValues()
    {
        var bytes = Encoding.UTF8.GetBytes("add@/devices/pci0000:00/usb2/2-1/2-1:1.0/host2/target2:0:0/2:0:0:0/block/sda\0ACTION=add\0" +
            "DEVPATH=/devices/pci0000:00/usb2/2-1/2-1:1.0/host2/target2:0:0/2:0:0:0/block/sda\0SUBSYSTEM=block\0MAJOR=8\0MINOR=0\0" +
            "DEVNAME=sda\0DEVTYPE=disk\0SEQNUM=1234\0");
        var e = Uevent.TryParse(bytes)!;
        Assert.Equal("add", e.Action);
        Assert.Equal("block", e.Subsystem);
        Assert.Equal("sda", e.DevName);
        Assert.Null(e.Modalias);
    }

    [Theory]
    [InlineData("libudev\0\0\0\0")]
    [InlineData("")]
    [InlineData("no at sign\0A=b\0")]
    public void TryParse_NotAKernelUevent_IsNull(string text) => Assert.Null(Uevent.TryParse(Encoding.UTF8.GetBytes(text)));
}
