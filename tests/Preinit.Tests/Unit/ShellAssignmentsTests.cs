using Preinit.Core.Configuration;
using Xunit;

namespace Preinit.Tests.Unit;

public class ShellAssignmentsTests
{
    [Theory]
    [InlineData("pi_ip=192.168.1.1", "192.168.1.1")]
    [InlineData("pi_ip=\"192.168.1.1\"", "192.168.1.1")]
    [InlineData("pi_ip='a b'", "a b")]
    [InlineData("pi_ip=\"a \\\"quoted\\\" b\"", "a \"quoted\" b")]
    [InlineData("pi_ip=a'b'\"c\"", "abc")]
    [InlineData("export pi_ip=x", "x")]
    [InlineData("pi_ip=x # comment", "x")]
    [InlineData("pi_ip=", "")]
    [InlineData("pi_ip=a\\ b", "a b")]
    public void Parse_Assignment_UnquotesLikeSh(string line, string expected)
    {
        var (assignments, problems) = ShellAssignments.Parse(line);
        Assert.Empty(problems);
        var a = Assert.Single(assignments);
        Assert.Equal("pi_ip", a.Name);
        Assert.Equal(expected, a.Value);
    }

    [Fact]
    public void Parse_BadLines_AreReportedWithLineNumbersAndTheRestIsKept()
    {
        var (assignments, problems) = ShellAssignments.Parse("# settings\r\na=1\nthis is not sh\nb=\"open\nc=3\n9x=1\nd=two words\n");
        Assert.Equal(["a", "c"], assignments.Select(a => a.Name));
        Assert.Equal([3, 4, 6, 7], problems.Select(p => p.Line));
        Assert.Contains("unterminated double quote", problems[1].Message);
        Assert.Contains("quote it", problems[3].Message);
    }
}
