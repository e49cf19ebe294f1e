// The UCI syntax as libuci reads it, checked by what `uci show` prints. Every expected output was
// derived from openwrt/uci at 66127cd (file.c, list.c, cli.c; line numbers refer to that commit) and
// confirmed against that uci built from source outside the repository.
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Uci;

public class UciParserTests
{
    private static UciParseResult Parse(string text) => UciParser.Parse(text, "test", "test");

    private static string Show(string text)
    {
        var result = Parse(text);
        Assert.Empty(result.Problems);
        return UciText.Show(result.Package);
    }

    [Theory]
    // Named section; options in order.
    [InlineData("config mount 'usb'\n\toption target '/mnt'\n", "test.usb=mount\ntest.usb.target='/mnt'\n")]
    // Anonymous sections are @type[N], N counting every section of that type, named ones too (cli.c:135 ti->idx++ for all).
    [InlineData("config mount\nconfig mount 'b'\nconfig swap\nconfig mount\n",
        "test.@mount[0]=mount\ntest.b=mount\ntest.@swap[0]=swap\ntest.@mount[2]=mount\n")]
    // The one-letter abbreviations (file.c:525-543, word[1] == 0); a package statement is checked and ignored (file.c:404 single).
    [InlineData("p test\nc mount x\n o target /a\n l dev a\n l dev b\n", "test.x=mount\ntest.x.target='/a'\ntest.x.dev='a' 'b'\n")]
    [InlineData("package other\nconfig t s\n", "test.s=t\n")]
    // A repeated name reopens its section where it stands.
    [InlineData("config mount a\n option x 1\nconfig swap b\nconfig mount a\n option y 2\n",
        "test.a=mount\ntest.a.x='1'\ntest.a.y='2'\ntest.b=swap\n")]
    // The last option wins and keeps the first one's place (list.c:719 allocates after the old one).
    [InlineData("config t s\n option a 1\n option b 2\n option a 3\n", "test.s=t\ntest.s.a='3'\ntest.s.b='2'\n")]
    [InlineData("config t s\n list l a\n list l b\n", "test.s=t\ntest.s.l='a' 'b'\n")]
    // list after option: the option becomes the list's first item, in its place (list.c:624).
    [InlineData("config t s\n option l x\n option m y\n list l z\n", "test.s=t\ntest.s.l='x' 'z'\ntest.s.m='y'\n")]
    // option after list replaces the whole list, in its place.
    [InlineData("config t s\n list l a\n list l b\n option m y\n option l c\n", "test.s=t\ntest.s.l='c'\ntest.s.m='y'\n")]
    // An empty option value neither sets nor clears (list.c:700-704: no UCI_LOOKUP_COMPLETE from the parser).
    [InlineData("config t s\n option a ''\n option b x\n option b ''\n option c\n", "test.s=t\ntest.s.b='x'\n")]
    // ... while list adds an empty item, also with no value at all (uci_add_list has no such check).
    [InlineData("config t s\n list l ''\n list l\n list l x\n", "test.s=t\ntest.s.l='' '' 'x'\n")]
    // Single quotes: no escapes at all.
    [InlineData("config t s\n option a 'x\\y\\'\n", "test.s=t\ntest.s.a='x\\y\\'\n")]
    // Double quotes: a backslash takes the next character as it is (file.c parse_backslash: "\n" is n).
    [InlineData("config t s\n option a \"a\\\"b\\\\c\\n\\$\"\n", "test.s=t\ntest.s.a='a\"b\\cn$'\n")]
    // Bare words take backslash escapes too.
    [InlineData("config t s\n option a a\\ b\\'c\n", "test.s=t\ntest.s.a='a b'\\''c'\n")]
    [InlineData("config t s\n option a \\\"x\\\"\n", "test.s=t\ntest.s.a='\"x\"'\n")]
    // Quoted and bare pieces concatenate into one argument.
    [InlineData("config t s\n option a 'x'\"y\"z\\ w\n", "test.s=t\ntest.s.a='xyz w'\n")]
    // Backslash-newline continues a bare word or a double-quoted string (the next line replaces the newline).
    [InlineData("config t s\n option a foo\\\nbar\n", "test.s=t\ntest.s.a='foobar'\n")]
    [InlineData("config t s\n option a \"foo \\\n  bar\"\n", "test.s=t\ntest.s.a='foo   bar'\n")]
    // A quoted value spans lines and keeps the newline.
    [InlineData("config t s\n option a 'line1\nline2'\n", "test.s=t\ntest.s.a='line1\nline2'\n")]
    // CRLF: '\r' is white space between arguments, but part of a quoted value.
    [InlineData("config t s\r\n\toption a b\r\n\toption c 'd'\r\n", "test.s=t\ntest.s.a='b'\ntest.s.c='d'\n")]
    [InlineData("config t s\r\n option a 'x\r\ny'\r\n", "test.s=t\ntest.s.a='x\r\ny'\n")]
    // '#' starts a comment anywhere outside quotes, even inside a bare word (file.c:213).
    [InlineData("# top\nconfig t s # c\n option a b#c\n option d '#e'\n#option f g\n", "test.s=t\ntest.s.a='b'\ntest.s.d='#e'\n")]
    [InlineData("config t s\n option a foo#bar baz\n", "test.s=t\ntest.s.a='foo'\n")]
    // ';' separates commands after a quoted value or a blank ...
    [InlineData("config t s\n option a 'x'; option b y\n option c x ;option d y\n",
        "test.s=t\ntest.s.a='x'\ntest.s.b='y'\ntest.s.c='x'\ntest.s.d='y'\n")]
    // ... but right after a bare word it becomes that word's end (file.c:218 then the terminator
    // overwrites it), and the rest of the line is silently lost, as in libuci.
    [InlineData("config t s; option a b\n", "test.s=t\n")]
    [InlineData("config t s\n option a b; option c d\n", "test.s=t\ntest.s.a='b'\n")]
    // Values are shown single-quoted, a ' inside as '\'' (cli.c uci_print_value).
    [InlineData("config t s\n option a \"it's\"\n", "test.s=t\ntest.s.a='it'\\''s'\n")]
    [InlineData("config\tt\ts\n\toption\ta\tb\n", "test.s=t\ntest.s.a='b'\n")]
    [InlineData("", "")]
    [InlineData("\n   \n\t\nconfig t s\n  \n", "test.s=t\n")]
    [InlineData("config t s\n option a b", "test.s=t\ntest.s.a='b'\n")]
    [InlineData("config t s\n option a 'é ü'\n", "test.s=t\ntest.s.a='é ü'\n")]
    [InlineData("config 'mount' \"usb\"\n option 'target' \"/x\"\n", "test.usb=mount\ntest.usb.target='/x'\n")]
    [InlineData("config t ''\n option a b\n", "test.@t[0]=t\ntest.@t[0].a='b'\n")]
    // A type is any printable ASCII but blanks (util.c uci_validate_str with name = false).
    [InlineData("config my-type\nconfig 'a.b'\n", "test.@my-type[0]=my-type\ntest.@a.b[0]=a.b\n")]
    // An anonymous section's generated name (cfg01 + djbhash("mount")) reopens it like a name (file.c:449 looks up e.name).
    [InlineData("config mount\n option a 1\nconfig mount cfg014d78\n option b 2\n",
        "test.@mount[0]=mount\ntest.@mount[0].a='1'\ntest.@mount[0].b='2'\n")]
    public void Parse_Syntax_ShowsAsUciShowDoes(string text, string expected) => Assert.Equal(expected, Show(text));

    [Fact]
    public void Parse_ValuesSpanningLines_AsInUcisOwnTests()
    {
        // openwrt/uci tests/shunit2/references/export.data and export.result.
        const string data = "\nconfig 'type' 'section'\n\toption 'opt' 'val'\n\tlist 'list_opt' 'val0'\n\tlist 'list_opt' 'val1'\n" +
            "\toption mul_line_opt_sq 'line 1\nline 2 \\\nline 3'\n\toption mul_line_opt_dq \"\\\"Hello\\, \\\nWorld.\\'\n\"\n";
        var package = UciParser.Parse(data, "export", "export").Package;
        Assert.Equal("package export\n\nconfig type 'section'\n\toption opt 'val'\n\tlist list_opt 'val0'\n\tlist list_opt 'val1'\n" +
            "\toption mul_line_opt_sq 'line 1\nline 2 \\\nline 3'\n\toption mul_line_opt_dq '\"Hello, World.'\\''\n'\n\n",
            UciText.Export(package));
    }

    [Fact]
    public void Parse_AnonymousSections_GetLibucisGeneratedNames()
    {
        // list.c:175 "cfg%02x%04x": the package's section count, then djbhash(type) % 65536 (the
        // real uci prints fstab.cfg024d78 for the shipped fstab's mount section).
        var package = Parse("config global\nconfig mount\nconfig mount 'named'\nconfig mount\n").Package;
        Assert.Equal(["cfg01", "cfg02", "named", "cfg04"], package.Sections.Select(s => s.Id.Length > 5 ? s.Id[..5] : s.Id));
        Assert.Equal("cfg024d78", package.Sections[1].Id);
        Assert.Null(package.Sections[1].Name);
        Assert.Equal("named", package.Sections[2].Name);
    }

    [Fact]
    public void Parse_ReopeningAnAnonymousSectionWithAnotherTypeLength_NamesIt()
    {
        // list.c:730-737: a type of another length reallocates the section under its e.name, which
        // makes it a named section; the same length keeps it anonymous. Strict libuci rejects both.
        var longer = Parse("config mount\nconfig mounts cfg014d78\n");
        Assert.Equal("test.cfg014d78=mounts\n", UciText.Show(longer.Package));
        var same = Parse("config mount\nconfig mouse cfg014d78\n");
        Assert.Equal("test.@mouse[0]=mouse\n", UciText.Show(same.Package));
        Assert.Single(same.Problems);
    }

    [Theory]
    [InlineData("config t s\n option a 'abc\n option b c\n", 2, 11, "EOF with unterminated '")]
    [InlineData("config t s\n option a \"abc\n option b c\n", 2, 11, "EOF with unterminated \"")]
    [InlineData("config t s\n opt a b\n option c d\n", 2, 2, "invalid command 'opt'")]
    [InlineData("option a b\nconfig t s\n option c d\n", 1, 1, "option/list command found before the first section")]
    [InlineData("list a b\n", 1, 1, "option/list command found before the first section")]
    [InlineData("config mount 'my-mount'\n", 1, 14, "invalid character in name field: 'my-mount'")]
    [InlineData("config t s\n option my-opt x\n", 2, 9, "invalid character in name field: 'my-opt'")]
    [InlineData("config 'a b' s\n", 1, 8, "invalid character in type field: 'a b'")]
    [InlineData("package 'a b'\nconfig t s\n", 1, 9, "invalid character in name field: 'a b'")]
    [InlineData("config t s\n option '' x\n", 2, 9, "insufficient arguments (option name missing)")]
    [InlineData("config \n", 1, 8, "insufficient arguments (section type missing)")]
    // A keyword alone on its line is "config\n" to strtok, which splits on blanks only: invalid command.
    [InlineData("config\n", 1, 1, "config needs its arguments on the same line")]
    [InlineData("config", 1, 1, "config without name")]
    // Only strict mode (uci's default) rejects these (file.c:349, file.c:453).
    [InlineData("config t s\n option label my stick\n", 2, 18, "too many arguments: 'stick'")]
    [InlineData("config t s\n option a foo\\\n   bar\n", 3, 4, "too many arguments: 'bar'")]
    [InlineData("config t ; option a b\n", 1, 12, "too many arguments: 'option'")]
    [InlineData("config mount x\nconfig swap x\n", 2, 8, "section of different type overwrites prior section with same name: " +
        "'x' was 'mount' (line 1), now 'swap'")]
    // A ';' ending a line leaves "\n" for strtok: invalid command.
    [InlineData("config t s\n option a 'b';\n", 2, 15, "nothing follows the ';'")]
    [InlineData("\uFEFFconfig t s\n", 1, 1, "byte order mark")]
    public void Parse_InputLibuciRejects_IsReportedWithLineAndColumn(string text, int line, int column, string message)
    {
        var problem = Assert.Single(Parse(text).Problems);
        Assert.Equal((line, column), (problem.Line, problem.Column));
        Assert.Contains(message, problem.Message);
        Assert.StartsWith($"test:{line}:{column}: ", problem.ToString());
    }

    [Fact]
    public void Parse_BadLines_AreReportedAndTheRestOfTheFileIsUsed()
    {
        const string text =
            "config t s\n" +
            " option a 1\n" +
            " opt typo x\n" +            // invalid command: skipped, the section goes on
            " option b \"open\n" +       // unterminated quote: libuci drops the rest of the file, we read on
            " option c 3\n" +
            "config mount 'my-mount'\n" + // rejected section: its options are skipped, each reported
            " option target /x\n" +
            " list dev y\n" +
            "config t u\n" +
            " option label my stick\n" + // strict-only error: applied as `uci -S` does, reported
            " option d 4\n";
        var result = Parse(text);
        Assert.Equal("test.s=t\ntest.s.a='1'\ntest.s.c='3'\ntest.u=t\ntest.u.label='my'\ntest.u.d='4'\n", UciText.Show(result.Package));
        Assert.Equal([3, 4, 6, 7, 8, 10], result.Problems.Select(p => p.Line));
        Assert.Contains("the config line it belongs to (line 6) has an error", result.Problems[3].Message);
    }

    [Fact]
    public void Parse_NulByte_EndsWhatLibuciKeepsOfTheLine()
    {
        // file.c uci_getln: fgets then strlen, so the rest of the fgets chunk after a NUL is lost and,
        // no '\n' being seen, the next line is appended to what was kept.
        var result = UciParser.Parse("config t s\n option a b\0junk\n option c d\n"u8.ToArray(), "test", "test");
        Assert.Equal("test.s=t\ntest.s.a='b'\n", UciText.Show(result.Package));
        Assert.Contains("too many arguments: 'option'", Assert.Single(result.Problems).Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Parse_LinesCutByNuls_EndQuickly()
    {
        // Each line cut by a NUL doubles libuci's buffer (uci_getln) and joins the next line: 40 of
        // them would be terabytes there; the port stops growing at 1 GiB.
        var bytes = Enumerable.Repeat("config t s\0x\n"u8.ToArray(), 40).SelectMany(b => b).ToArray();
        var result = await Task.Run(() => UciParser.Parse(bytes, "test", "test"));
        Assert.Contains("too many arguments", Assert.Single(result.Problems).Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Parse_UnterminatedQuoteOnTheLastLine_EndsQuickly()
    {
        var result = await Task.Run(() => Parse("config t s\n option a 'open"));
        Assert.StartsWith("EOF with unterminated '", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
        Assert.Equal("test.s=t\n", UciText.Show(result.Package));
    }

    [Fact]
    public void Parse_OptionsAndSections_CarryTheirLines()
    {
        var section = Parse("# fstab\nconfig mount\n\toption target /a\n\tlist dev x\n\tlist dev y\n").Package.Sections[0];
        Assert.Equal(2, section.Line);
        Assert.Equal(3, section["target"]!.Line);
        Assert.Equal(5, section["dev"]!.Line);
        Assert.Equal(["x", "y"], section["dev"]!.Items!);
        Assert.Null(section["dev"]!.Value);
        Assert.Equal("/a", section["target"]!.Value);
    }
}
