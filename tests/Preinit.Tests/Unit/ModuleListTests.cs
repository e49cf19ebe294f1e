// /etc/modules-boot.d's files as OpenWrt's kmodloader reads them.
using Preinit.Core.Modules;
using Xunit;

namespace Preinit.Tests.Unit;

public class ModuleListTests
{
    [Fact]
    public void Parse_NamesWithTheirParameters_CommentsAndBlankLinesSkipped() =>
        Assert.Equal([("usb-storage", ""), ("ext4", ""), ("xhci-hcd", "quirks=0x80 debug=1")],
            ModuleList.Parse("# boot modules\nusb-storage\n\n  ext4  \nxhci-hcd\tquirks=0x80 debug=1\n"));
}
