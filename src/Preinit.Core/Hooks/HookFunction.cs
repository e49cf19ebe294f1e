// One function on one hook, as OpenWrt's boot_hook_add would record it, with the module that added it.
namespace Preinit.Core.Hooks;

public sealed record HookFunction(string Hook, string Name, string Module, IReadOnlyList<IBootStep> Steps);

/// <summary>A set of hook functions, like one file in /lib/preinit; Name is its order key ("10_essential_fs").</summary>
public interface IPreinitModule
{
    string Name { get; }

    void Register(HookRegistrar hooks);
}

/// <summary>Passed to each module in name order; functions are kept in the order they are added.</summary>
public sealed class HookRegistrar
{
    private readonly List<HookFunction> _functions = [];
    private readonly List<string> _problems = [];
    private string _module = "";

    public IReadOnlyList<HookFunction> Functions => _functions;
    public IReadOnlyList<string> Problems => _problems;

    internal void BeginModule(string module) => _module = module;

    public void Add(string hook, string function, params IBootStep[] steps)
    {
        if (!HookNames.All.Contains(hook))
            _problems.Add($"{_module}: {function} added to unknown hook '{hook}' (known: {string.Join(", ", HookNames.All)})");
        else if (_functions.FirstOrDefault(f => f.Name == function) is { } existing)
            _problems.Add($"{_module}: {function} is already defined by {existing.Module}; the second definition is ignored");
        else
            _functions.Add(new HookFunction(hook, function, _module, steps));
    }
}
