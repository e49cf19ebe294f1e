// One function on one hook, as OpenWrt's boot_hook_add would record it, with the module that added it.
namespace Preinit.Core.Hooks;

/// <param name="Source">Where it is defined: a C# module class or a shell hook file.</param>
public sealed record HookFunction(string Hook, string Name, string Module, IReadOnlyList<IBootStep> Steps, string Source = "");

/// <summary>A set of hook functions, like one file in /lib/preinit; Name is its order key ("10_essential_fs").</summary>
public interface IPreinitModule
{
    string Name { get; }

    /// <summary>A shell hook file of another package: a function of it with the name of one of ours is not used.</summary>
    bool Foreign => false;

    /// <summary>Where its functions are defined, for `preinit hooks`.</summary>
    string Source => $"C# {GetType().Name}";

    void Register(HookRegistrar hooks);
}

/// <summary>Passed to each module; functions are kept in module order (the rank given), then in the order they are added.</summary>
public sealed class HookRegistrar
{
    private sealed record Added(HookFunction Function, int Rank, int Order);

    private readonly List<Added> _functions = [];
    private readonly List<string> _problems = [];
    /// <summary>Shell functions that have the name of one of ours: an OpenWrt rootfs has a dozen, said in one line.</summary>
    private readonly List<string> _replaced = [];
    private string _module = "", _source = "";
    private int _rank;
    private bool _foreign;

    public IReadOnlyList<HookFunction> Functions
    {
        get
        {
            var sorted = new List<Added>(_functions);
            sorted.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : a.Order.CompareTo(b.Order));
            return sorted.ConvertAll(a => a.Function);
        }
    }

    public IReadOnlyList<string> Problems => _replaced.Count == 0 ? _problems
        : [.. _problems, $"shell functions replaced by preinit's own of the same name (not run): {string.Join(", ", _replaced)}"];

    internal void BeginModule(string module, string source, int rank, bool foreign)
    {
        _module = module;
        _source = source;
        _rank = rank;
        _foreign = foreign;
    }

    public void Add(string hook, string function, params IBootStep[] steps)
    {
        if (!HookNames.All.Contains(hook))
            _problems.Add($"{_module}: {function} added to unknown hook '{hook}' (known: {string.Join(", ", HookNames.All)})");
        else if (_functions.Find(f => f.Function.Name == function)?.Function is { } existing)
        {
            if (_foreign) _replaced.Add($"{function} from {_module} (ours in {existing.Module})");
            else _problems.Add($"{_module}: {function} is already defined by {existing.Module}; the second definition is ignored");
        }
        else
            _functions.Add(new Added(new HookFunction(hook, function, _module, steps, _source), _rank, _functions.Count));
    }
}
