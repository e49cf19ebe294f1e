// The step context of a test that runs one boot step on its own: it keeps the step's notes and
// refuses to run a hook (a step under test must not reach into others).
using Preinit.Core.Hooks;

namespace Preinit.Tests.Support;

public sealed class StepNotes : IStepContext
{
    public List<string> Lines { get; } = [];
    public void RunHook(string hook) => throw new InvalidOperationException($"a step under test ran the hook {hook}");
    public void Note(string message) => Lines.Add(message);
}
