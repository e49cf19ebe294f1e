// Reads a UCI configuration file (/etc/config/*) exactly as libuci does: a port of openwrt/uci
// file.c (uci_import, uci_getln, uci_parse_line, next_arg, parse_str and the quote and backslash
// helpers) and of the list.c operations the parser calls (uci_add_section, uci_set, uci_add_list).
// The port keeps libuci's in-place line buffer and works on bytes, because its quirks decide what
// real files mean: `config a; option b c` silently drops the option (the ';' becomes the end of "a"),
// a backslash before an indented line ends the word, a '#' ends a bare word anywhere.
//
// Deliberate difference: libuci as `uci` and block.c use it is strict (UCI_FLAG_STRICT, set by
// uci_alloc_context), so one bad line throws the whole file away. Here every problem is reported
// with file:line:column and the rest of the file is used, as libuci's own non-strict mode (`uci -S`)
// recovers: the commands of a line before the error stay, the rest of that line is skipped. Three
// refinements over `uci -S`: the errors only strict mode raises ("too many arguments", a section
// reopened with another type) are reported too; the options following a rejected `config` line are
// skipped and reported instead of landing in the previous section; and after an unterminated quote,
// which swallows the rest of the file, reading resumes on the line after the quote's.
using System.Globalization;
using System.Text;

namespace Preinit.Core.Uci;

public sealed record UciProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

public sealed record UciParseResult(UciPackage Package, IReadOnlyList<UciProblem> Problems);

public sealed class UciParser
{
    private const char Nul = '\0';

    // The file's bytes, one char per byte (Latin-1), so that every decision is libuci's byte for byte.
    private readonly string _text;
    private readonly string _file;
    private readonly UciPackage _package;
    private readonly List<UciProblem> _problems = [];
    private readonly int[] _lineStarts; // _lineStarts[n]: where physical line n + 1 starts in _text

    // The current logical line, as libuci's pctx->buf: NUL-terminated, rewritten in place.
    private char[] _buf = new char[256];
    private int _bufsz = LineBuf; // pctx->bufsz: how much one fgets may read
    private int _filled;          // pctx->buf_filled
    private int _pos;             // pctx->pos
    private int _next;            // the read position in _text (the FILE's offset)
    // Where each piece of the buffer came from (buffer offset, file offset), for error positions.
    private readonly List<(int Offset, int Source)> _segments = [];

    private UciSection? _section;       // pctx->section
    private int? _rejectedSectionLine;  // a config line that failed: its options are skipped
    private bool _stopLine;             // a strict-only error was reported: skip the rest of the line

    private int _resumes;               // times reading resumed after an unterminated quote

    private const int LineBuf = 32;         // file.c LINEBUF, the first buffer size
    private const int MaxBufSize = 1 << 30; // see GetLine
    private const int MaxResumes = 100;     // see Import

    private UciParser(byte[] bytes, string packageName, string file)
    {
        _text = Encoding.Latin1.GetString(bytes);
        _file = file;
        _package = new UciPackage(packageName);
        var starts = new List<int> { 0 };
        for (var i = _text.IndexOf('\n'); i >= 0; i = _text.IndexOf('\n', i + 1)) starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    /// <summary>
    /// Parses a UCI file's bytes into the package <paramref name="packageName"/>. A `package`
    /// statement in the file is checked and ignored, as when libuci loads a file (uci_file_load calls
    /// uci_import with single = true). <paramref name="file"/> only names the file in problems, whose
    /// columns count bytes, as libuci's "byte" does. Values are decoded as UTF-8.
    /// </summary>
    public static UciParseResult Parse(byte[] bytes, string packageName, string file)
    {
        var parser = new UciParser(bytes, packageName, file);
        parser.Import();
        return new UciParseResult(parser._package, parser._problems);
    }

    /// <summary>Parses text, written out as UTF-8 as a file would hold it.</summary>
    public static UciParseResult Parse(string text, string packageName, string file) =>
        Parse(Encoding.UTF8.GetBytes(text), packageName, file);

    // file.c uci_import: one logical line at a time until the end of the input.
    private void Import()
    {
        while (_next < _text.Length)
        {
            _pos = 0;
            _segments.Clear();
            GetLine(0);
            if (_buf[0] == Nul) continue;
            _stopLine = false;
            try
            {
                ParseLine();
            }
            catch (ParseError e)
            {
                Report(e.Position, e.Message);
                // libuci has read the rest of the file into the quote; read on after its line instead,
                // a bounded number of times so that a hostile file cannot make this quadratic.
                if (e.ResumeAfterLine is { } line && ++_resumes <= MaxResumes)
                    _next = line < _lineStarts.Length ? _lineStarts[line] : _text.Length;
                else if (e.ResumeAfterLine is not null)
                    Report(e.Position, $"more than {MaxResumes} unterminated quotes: the rest of the file is not read");
            }
        }
    }

    // file.c uci_getln: fgets into the buffer at offset, growing it (bufsz *= 2) until a '\n' is read.
    // strlen decides what is kept: after a NUL byte the rest of that fgets chunk is lost and, no '\n'
    // seen, reading goes on, so how much is lost depends on bufsz as in libuci; a chunk that starts
    // with NUL ends the read.
    private void GetLine(int offset)
    {
        if (offset >= _bufsz - 1 && _bufsz < MaxBufSize) _bufsz *= 2;
        Ensure(offset + 1);
        _buf[offset] = Nul;
        while (_next < _text.Length)
        {
            // fgets(p, bufsz - ofs): at most bufsz - ofs - 1 bytes, up to and including a '\n'.
            var max = Math.Max(_bufsz - offset - 1, 0);
            var newline = _text.IndexOf('\n', _next, Math.Min(max, _text.Length - _next));
            var length = newline >= 0 ? newline + 1 - _next : Math.Min(max, _text.Length - _next);
            var chunk = _text.AsSpan(_next, length);
            var source = _next;
            _next += length;
            var nul = chunk.IndexOf(Nul);
            var kept = nul < 0 ? length : nul;
            if (kept == 0) return;
            Ensure(offset + kept + 1);
            chunk[..kept].CopyTo(_buf.AsSpan(offset));
            _segments.Add((offset, source));
            offset += kept;
            _filled = offset;
            _buf[offset] = Nul;
            if (_buf[offset - 1] == '\n') return;
            // Each chunk cut by a NUL doubles libuci's buffer; past MaxBufSize libuci would be
            // reallocating gigabytes (and fail with "Out of memory"): stop growing there.
            if (_bufsz < MaxBufSize) _bufsz *= 2;
        }
    }

    private void Ensure(int size)
    {
        if (size + 2 > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, size + 2));
    }

    // file.c uci_parse_line: commands split by strtok(" \t"), several per line with ';'.
    private void ParseLine()
    {
        SkipWhitespace();
        while (true)
        {
            // strtok(pctx_cur_str(pctx), " \t"): skips blanks (not other white space), ends the word
            // at the next blank with a NUL; the word itself may hold '\n' or '\r'.
            var start = _pos;
            while (_buf[start] is ' ' or '\t') start++;
            if (_buf[start] == Nul) return;
            var end = start;
            while (_buf[end] is not (Nul or ' ' or '\t')) end++;
            _buf[end] = Nul;
            var word = new string(_buf, start, end - start);

            if (word[0] == '#') return;
            if (IsCommand(word, 'p', "ackage")) ParsePackage(start);
            else if (IsCommand(word, 'c', "onfig")) ParseConfigGuarded(start);
            else if (IsCommand(word, 'o', "ption")) ParseOption(start, list: false);
            else if (IsCommand(word, 'l', "ist")) ParseOption(start, list: true);
            else
            {
                if (word.TrimEnd() is { Length: > 0 } bare && IsCommand(bare, 'c', "onfig"))
                {
                    _section = null;
                    _rejectedSectionLine = LineOf(start);
                }
                throw new ParseError(start, InvalidCommand(Utf8(word)));
            }

            if (_stopLine) return;
        }
    }

    // A keyword alone on its line reaches here as "config\n": strtok splits on blanks only.
    private static string InvalidCommand(string word)
    {
        var bare = word.TrimEnd();
        if (bare.Length == 0) return "invalid command: nothing follows the ';' (libuci rejects a ';' at the end of a line)";
        if (bare[0] == '\uFEFF')
            return $"invalid command '{Printable(word)}': a byte order mark (U+FEFF) is part of the word for " +
                "libuci; save the file without it";
        return bare.Length < word.Length
            && (IsCommand(bare, 'p', "ackage") || IsCommand(bare, 'c', "onfig") || IsCommand(bare, 'o', "ption")
            || IsCommand(bare, 'l', "ist"))
            ? $"invalid command '{Printable(word)}': {bare} needs its arguments on the same line"
            : $"invalid command '{Printable(word)}' (expected config, option, list or package)";
    }

    // The full keyword or its first letter alone (file.c uci_parse_line: word[1] == 0).
    private static bool IsCommand(string word, char first, string rest) =>
        word[0] == first && (word.Length == 1 || word.AsSpan(1).SequenceEqual(rest));

    // file.c uci_parse_package: the name is validated, then ignored for a loaded file (single).
    private void ParsePackage(int wordStart)
    {
        SkipCommandWord(wordStart, "package without name");
        NextArg(required: true, name: true, package: true, "package name");
        AssertEol();
    }

    private void ParseConfigGuarded(int wordStart)
    {
        try
        {
            ParseConfig(wordStart);
        }
        catch (ParseError)
        {
            _section = null;
            _rejectedSectionLine = LineOf(wordStart);
            throw;
        }
    }

    // file.c uci_parse_config.
    private void ParseConfig(int wordStart)
    {
        SkipCommandWord(wordStart, "config without name (expected: config TYPE ['NAME'])");
        var typeAt = NextArg(required: true, name: false, package: false, "section type");
        var type = Str(typeAt);
        if (!UciNames.IsType(type))
            throw new ParseError(typeAt, $"invalid character in type field: '{Printable(type)}' " +
                "(a type is printable ASCII without blanks)");
        var nameAt = NextArg(required: false, name: true, package: false, "section name");
        var name = Str(nameAt);
        AssertEol();

        var line = LineOf(wordStart);
        if (name.Length == 0)
        {
            _section = AddAnonymousSection(type, line);
        }
        else
        {
            var existing = _package.Find(name);
            if (existing is not null && existing.Type != type)
                Report(typeAt, $"section of different type overwrites prior section with same name: '{name}' was '{existing.Type}' " +
                    $"(line {existing.Line}), now '{type}'");
            _section = SetSection(existing, name, type, line);
        }
        _rejectedSectionLine = null;
    }

    // file.c uci_parse_option (list = false: uci_set; list = true: uci_add_list).
    private void ParseOption(int wordStart, bool list)
    {
        if (_section is null)
        {
            throw new ParseError(wordStart, _rejectedSectionLine is { } rejected
                ? $"{(list ? "list" : "option")} skipped: the config line it belongs to (line {rejected}) has an error"
                : "option/list command found before the first section");
        }
        SkipCommandWord(wordStart, $"{(list ? "list" : "option")} without name");
        var nameAt = NextArg(required: true, name: true, package: false, "option name");
        var name = Str(nameAt);
        var value = Str(NextArg(required: false, name: false, package: false, "value"));
        AssertEol();

        var line = LineOf(wordStart);
        if (list) AddList(_section, name, value, line);
        else SetOption(_section, name, value, line);
    }

    // "command string null-terminated by strtok": uci_increase_pos(strlen(cur_str) + 1).
    private void SkipCommandWord(int wordStart, string message)
    {
        var add = Strlen(_pos) + 1;
        if (_pos + add > _filled) throw new ParseError(wordStart, message);
        _pos += add;
    }

    // file.c next_arg: returns the buffer offset of the argument (empty when there is none).
    private int NextArg(bool required, bool name, bool package, string what)
    {
        SkipWhitespace();
        var val = _pos;
        var target = _pos;
        if (_buf[_pos] == ';')
        {
            _buf[_pos] = Nul;
            _pos++;
        }
        else
        {
            ParseStr(ref target);
        }

        if (_buf[val] == Nul)
        {
            if (required) throw new ParseError(val, $"insufficient arguments ({what} missing)");
            return val;
        }
        if (name && !UciNames.IsValid(Str(val), name: true, package))
        {
            var allowed = package ? "letters, digits, '_' and '-'" : "letters, digits and '_'";
            throw new ParseError(val, $"invalid character in name field: '{Printable(Str(val))}' ({what}: only {allowed})");
        }
        return val;
    }

    // file.c assert_eol: in strict mode anything left is an error. Reported, the command still applies
    // (as uci -S), and the rest of the line is skipped.
    private void AssertEol()
    {
        SkipWhitespace();
        var extra = NextArg(required: false, name: false, package: false, "");
        if (_buf[extra] == Nul) return;
        Report(extra, $"too many arguments: '{Printable(Str(extra))}' and the rest of the line are ignored " +
            "(quote a value that has blanks)");
        _stopLine = true;
    }

    // file.c parse_str: one argument, quoted pieces and bare characters concatenated, written back
    // into the buffer at target.
    private void ParseStr(ref int target)
    {
        var next = true;
        do
        {
            var c = _buf[_pos];
            if (c == '\'') ParseSingleQuote(ref target);
            else if (c == '"') ParseDoubleQuote(ref target);
            else if (c == '#')
            {
                _buf[_pos] = Nul;
                break;
            }
            else if (c == Nul) break;
            else if (c == ';')
            {
                next = false;
                break;
            }
            else if (c == '\\')
            {
                if (!ParseBackslash()) continue;
                AddC(ref target);
            }
            else AddC(ref target);
        } while (_buf[_pos] != Nul && !IsSpace(_buf[_pos]));

        // The blank that ended a bare word is stepped over: the terminator may overwrite it.
        if (_buf[_pos] != Nul && next) _pos++;
        _buf[target] = Nul;
    }

    // file.c parse_single_quote: no escapes; a value may span lines (the newline is kept).
    private void ParseSingleQuote(ref int target)
    {
        var start = _pos;
        _pos++;
        while (true)
        {
            var c = _buf[_pos];
            if (c == '\'')
            {
                _pos++;
                return;
            }
            if (c == Nul)
            {
                GetLine(_pos);
                if (_buf[_pos] == Nul) throw Unterminated(start, '\'');
                continue;
            }
            AddC(ref target);
        }
    }

    // file.c parse_double_quote: a backslash takes the next character as it is; backslash-newline joins lines.
    private void ParseDoubleQuote(ref int target)
    {
        var start = _pos;
        _pos++;
        while (true)
        {
            var c = _buf[_pos];
            if (c == '"')
            {
                _pos++;
                return;
            }
            if (c == Nul)
            {
                GetLine(_pos);
                if (_buf[_pos] == Nul) throw Unterminated(start, '"');
                continue;
            }
            if (c == '\\' && !ParseBackslash()) continue;
            AddC(ref target);
        }
    }

    // file.c parse_backslash: false when the backslash ends the line (then the next line is read in
    // its place), true when the character after it is to be taken literally.
    private bool ParseBackslash()
    {
        _pos++;
        var c = _buf[_pos];
        if (c == Nul || c == '\n' || (c == '\r' && _buf[_pos + 1] == '\n' && _buf[_pos + 2] == Nul))
        {
            GetLine(_pos);
            return false;
        }
        return true;
    }

    // Where libuci gives up on the whole file, the command with the quote is dropped and the lines
    // after the quote's own line are read again (their text went into the quote).
    private ParseError Unterminated(int start, char quote) =>
        new(start, $"EOF with unterminated {quote} (the quote opened here is never closed): " +
            "this line is skipped, the following ones are read", LineOf(start));

    private void AddC(ref int target) => _buf[target++] = _buf[_pos++];

    // isspace() in the C locale.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private void SkipWhitespace()
    {
        while (_buf[_pos] != Nul && IsSpace(_buf[_pos])) _pos++;
    }

    private int Strlen(int at)
    {
        var end = at;
        while (_buf[end] != Nul) end++;
        return end - at;
    }

    // An argument as a string: its bytes decoded as UTF-8. Names and types are ASCII (UciNames), so
    // checking them after decoding gives libuci's answer.
    private string Str(int at) => Utf8(new string(_buf, at, Strlen(at)));

    private static string Utf8(string bytes) =>
        bytes.All(char.IsAscii) ? bytes : Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(bytes));

    // list.c uci_add_section + uci_fixup_section: an anonymous section is named cfgNNHHHH at once,
    // NN the package's section counter and HHHH a djb hash of the type (it has no options yet).
    private UciSection AddAnonymousSection(string type, int line)
    {
        _package.SectionCounter++;
        var section = new UciSection(type, $"cfg{_package.SectionCounter:x2}{UciNames.DjbHash(type) % (1 << 16):x4}", anonymous: true,
            line);
        _package.Add(section);
        return section;
    }

    // list.c uci_set on a section: create it, or change the type of the one with that name. A type of
    // another length makes libuci allocate a new section under the old name (uci_alloc_section with a
    // name), which is then no longer anonymous; the position and the options stay.
    private UciSection SetSection(UciSection? existing, string name, string type, int line)
    {
        if (existing is null)
        {
            _package.SectionCounter++;
            var section = new UciSection(type, name, anonymous: false, line);
            _package.Add(section);
            return section;
        }
        if (existing.Type != type)
        {
            if (existing.Type.Length != type.Length) existing.IsAnonymous = false;
            existing.Type = type;
        }
        return existing;
    }

    // list.c uci_set on an option. An empty value neither sets nor clears (uci_parse_option's ptr
    // lacks UCI_LOOKUP_COMPLETE, so uci_set returns before uci_delete); a new value replaces the old
    // one, list or not, at the old one's position.
    private static void SetOption(UciSection section, string name, string value, int line)
    {
        if (value.Length == 0) return;
        if (section[name] is { IsList: false } old && old.Value == value) return;
        section.Put(UciOption.Single(name, value, line));
    }

    // list.c uci_add_list: appends an item (an empty one too); a single option becomes a list at its
    // own position with its value as the first item.
    private static void AddList(UciSection section, string name, string value, int line)
    {
        switch (section[name])
        {
            case null:
                section.Put(UciOption.List(name, [value], line));
                break;
            case { IsList: true } list:
                list.Append(value, line);
                break;
            case var single:
                section.Put(UciOption.List(name, [single.Value!, value], line));
                break;
        }
    }

    private (int Line, int Column) Locate(int position)
    {
        var source = _text.Length;
        for (var i = _segments.Count - 1; i >= 0; i--)
        {
            if (_segments[i].Offset > position) continue;
            source = _segments[i].Source + position - _segments[i].Offset;
            break;
        }
        // A missing argument is looked for past the line's '\n': point at the '\n' instead.
        if (position >= _filled && source > 0 && _text[source - 1] == '\n') source--;
        var line = Array.BinarySearch(_lineStarts, source);
        if (line < 0) line = ~line - 1;
        return (line + 1, source - _lineStarts[line] + 1);
    }

    private int LineOf(int position) => Locate(position).Line;

    private void Report(int position, string message)
    {
        var (line, column) = Locate(position);
        _problems.Add(new UciProblem(_file, line, column, message));
    }

    // Control characters shown escaped and long text cut, so a message stays one short line.
    private static string Printable(string s)
    {
        const int Max = 40;
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Length > Max ? s[..Max] : s)
        {
            if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format)
                sb.Append($"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        if (s.Length > Max) sb.Append("...");
        return sb.ToString();
    }

    private sealed class ParseError(int position, string message, int? resumeAfterLine = null) : Exception(message)
    {
        public int Position { get; } = position;

        /// <summary>For an unterminated quote: the line it opened on, after which reading resumes.</summary>
        public int? ResumeAfterLine { get; } = resumeAfterLine;
    }
}
