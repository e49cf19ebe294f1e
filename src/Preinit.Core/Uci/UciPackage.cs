// The in-memory form of one UCI configuration file (/etc/config/NAME), shaped like libuci's
// uci_package / uci_section / uci_option (openwrt/uci uci.h): ordered sections, ordered options,
// an option is one string or a list of strings.
namespace Preinit.Core.Uci;

public sealed class UciPackage
{
    private readonly List<UciSection> _sections = [];
    private readonly Dictionary<string, UciSection> _byId = new(StringComparer.Ordinal);

    public UciPackage(string name) => Name = name;

    /// <summary>The package name: the file's name for a file loaded by path (file.c uci_file_load).</summary>
    public string Name { get; }

    public IReadOnlyList<UciSection> Sections => _sections;

    /// <summary>libuci's p->n_section: every section ever allocated, the counter in generated names.</summary>
    internal int SectionCounter { get; set; }

    internal void Add(UciSection section)
    {
        _sections.Add(section);
        _byId.TryAdd(section.Id, section);
    }

    /// <summary>The section whose libuci name (its own or the generated cfgXXXXXX) is <paramref name="id"/>.</summary>
    public UciSection? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Every section with its <see cref="ReferenceOf"/> name, in one pass (cli.c uci_show_package).</summary>
    public IEnumerable<(UciSection Section, string Reference)> WithReferences()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var section in _sections)
        {
            var index = counts.GetValueOrDefault(section.Type);
            counts[section.Type] = index + 1;
            yield return (section, section.IsAnonymous ? $"@{section.Type}[{index}]" : section.Id);
        }
    }

    /// <summary>
    /// How `uci show` names a section inside a package listing (cli.c uci_lookup_section_ref): its name,
    /// or @type[N] for an anonymous one, N counting every earlier section of that type, named ones too.
    /// </summary>
    public string ReferenceOf(UciSection section)
    {
        if (!section.IsAnonymous) return section.Id;
        var index = 0;
        foreach (var s in _sections)
        {
            if (ReferenceEquals(s, section)) break;
            if (s.Type == section.Type) index++;
        }
        return $"@{section.Type}[{index}]";
    }
}

public sealed class UciSection
{
    private readonly List<UciOption> _options = [];
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    internal UciSection(string type, string id, bool anonymous, int line)
    {
        Type = type;
        Id = id;
        IsAnonymous = anonymous;
        Line = line;
    }

    public string Type { get; internal set; }

    /// <summary>libuci's e.name: the section's name, or for an anonymous section the generated cfgXXXXXX.</summary>
    public string Id { get; }

    public bool IsAnonymous { get; internal set; }

    /// <summary>The name written in the file, null for an anonymous section.</summary>
    public string? Name => IsAnonymous ? null : Id;

    /// <summary>The line of the config command that created the section.</summary>
    public int Line { get; }

    public IReadOnlyList<UciOption> Options => _options;

    public UciOption? this[string name] => _indexByName.TryGetValue(name, out var i) ? _options[i] : null;

    /// <summary>Adds the option at the end, or puts it in the place of the one with its name.</summary>
    internal void Put(UciOption option)
    {
        if (_indexByName.TryGetValue(option.Name, out var i))
        {
            _options[i] = option;
            return;
        }
        _indexByName[option.Name] = _options.Count;
        _options.Add(option);
    }
}

public sealed class UciOption
{
    private readonly List<string>? _items;

    private UciOption(string name, string? value, List<string>? items, int line)
    {
        Name = name;
        Value = value;
        _items = items;
        Line = line;
    }

    internal static UciOption Single(string name, string value, int line) => new(name, value, null, line);

    internal static UciOption List(string name, IEnumerable<string> items, int line) => new(name, null, [.. items], line);

    public string Name { get; }

    public bool IsList => _items is not null;

    /// <summary>The value of a single option; null for a list.</summary>
    public string? Value { get; }

    /// <summary>The items of a list option; null for a single option.</summary>
    public IReadOnlyList<string>? Items => _items;

    /// <summary>The line that last set or extended the option.</summary>
    public int Line { get; internal set; }

    internal void Append(string item, int line)
    {
        _items!.Add(item);
        Line = line;
    }
}
