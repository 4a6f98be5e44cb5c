using System.Diagnostics;
using System.Runtime.CompilerServices;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// What one document may cost: a template is a program, and a careless or hostile one must end with a
/// one-line error (template, line, column) rather than hang, fill the disk or crash the process.
/// </summary>
public sealed record RenderLimits
{
    /// <summary>Wall-clock time for one document.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Characters in one document, and in any one string a template builds.</summary>
    public int MaxChars { get; init; } = 32 * 1024 * 1024;

    /// <summary>Loop iterations (Scriban counts them across nested loops).</summary>
    public int MaxLoopIterations { get; init; } = 20_000_000;

    /// <summary>Nested function calls in a template.</summary>
    public int MaxRecursion { get; init; } = 100;

    /// <summary>Nesting while turning an object into text (a cyclic object stops here).</summary>
    public int MaxObjectDepth { get; init; } = 20;

    public static RenderLimits Default { get; } = new();
}

/// <summary>
/// A Scriban context that enforces <see cref="RenderLimits"/> Scriban has no setting for: a deadline,
/// cancellation (SIGINT/SIGTERM), the size of any value a template builds, and the .NET stack.
/// </summary>
internal sealed class LimitedTemplateContext : TemplateContext
{
    private readonly RenderLimits _limits;
    private readonly CancellationToken _cancellation;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _steps;

    public LimitedTemplateContext(RenderLimits limits, CancellationToken cancellation, ScriptObject? builtins = null)
        : base(builtins ?? GetDefaultBuiltinObject())
    {
        _limits = limits;
        _cancellation = cancellation;
        LoopLimit = limits.MaxLoopIterations;
        LoopLimitQueryable = limits.MaxLoopIterations;
        RecursiveLimit = limits.MaxRecursion;
        ObjectRecursionLimit = limits.MaxObjectDepth;
        LimitToString = limits.MaxChars;
        OnStringLimit = ScriptLimitBehavior.Throw;
        OutputLimit = limits.MaxChars;
        OnOutputLimit = ScriptLimitBehavior.Throw;
        CancellationToken = cancellation;
    }

    // Scriban refuses a change to a read-only array through the array's own indexer but not through IList's,
    // which `list[i] = x` in a template goes through: the model's arrays are read-only (RenderModel.Build).
    // Accessors are kept per type, so the check is made on each change, not when the accessor is chosen.
    protected override IListAccessor? GetListAccessorImpl(object target, Type type) =>
        base.GetListAccessorImpl(target, type) is { } inner ? new ReadOnlyAwareListAccessor(inner) : null;

    private sealed class ReadOnlyAwareListAccessor(IListAccessor inner) : IListAccessor
    {
        public int GetLength(TemplateContext context, SourceSpan span, object target) => inner.GetLength(context, span, target);

        public object? GetValue(TemplateContext context, SourceSpan span, object target, int index) => inner.GetValue(context, span, target, index);

        public void SetValue(TemplateContext context, SourceSpan span, object target, int index, object? value)
        {
            if (target is System.Collections.IList { IsReadOnly: true })
            {
                throw new ScriptRuntimeException(span, "the incident is read-only in a template: copy what you need into a variable of your own");
            }
            inner.SetValue(context, span, target, index, value);
        }
    }

    // Every argument of a template function passes through here, and every one of ours takes object:
    // the base conversion would test the value's type through reflection only to hand it back unchanged.
    public override object? ToObject(SourceSpan span, object? value, Type destinationType) =>
        destinationType == typeof(object) && value is not IScriptConvertibleTo ? value : base.ToObject(span, value, destinationType);

    public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturnedFunction)
    {
        if (++_steps % 256 == 0)
        {
            if (_cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(_cancellation);
            }
            if (_clock.Elapsed > _limits.Timeout)
            {
                throw new ScriptRuntimeException(scriptNode?.Span ?? default, $"rendering took longer than the {_limits.Timeout.TotalSeconds:0.#} s limit (an endless loop?)");
            }
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ScriptRuntimeException(scriptNode?.Span ?? default, "the template nests too deeply (a cyclic object or endless recursion?)");
        }
        var value = base.Evaluate(scriptNode, aliasReturnedFunction);
        if (value is string { Length: var length } && length > _limits.MaxChars)
        {
            throw new ScriptRuntimeException(scriptNode?.Span ?? default, $"the template built a string of {length:N0} characters, over the {_limits.MaxChars:N0} limit");
        }
        return value;
    }
}
