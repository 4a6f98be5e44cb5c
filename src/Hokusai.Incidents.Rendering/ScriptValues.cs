using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Scriban.Runtime;

namespace Hokusai.Incidents.Rendering;

/// <summary>
/// Copies model records into Scriban objects with snake_case member names, enums as the same
/// lower-case words the JSON uses (<c>sev1</c>, <c>log-excerpt</c>) and dictionaries in key order,
/// so templates can compare against words and iteration order never depends on the runtime.
/// </summary>
internal static class ScriptValues
{
    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    public static object? From(object? value) => value switch
    {
        null => null,
        string or bool or int or long or double or decimal or DateTimeOffset or TimeSpan or ScriptObject or ScriptArray => value,
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Enum e => Word(e),
        IReadOnlyDictionary<string, string> map => Map(map),
        IEnumerable items => Array(items),
        _ => Record(value),
    };

    public static string Word(Enum value) => Words.GetOrAdd(value, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static readonly ConcurrentDictionary<Enum, string> Words = new();

    public static ScriptObject Record(object record)
    {
        var members = Members.GetOrAdd(record.GetType(), Reflect);
        var obj = new ScriptObject(members.Length + 8, autoImportStaticsFromThisType: false);
        foreach (var m in members)
        {
            obj.SetValue(m.Name, From(m.Get(record)), readOnly: false);
        }
        return obj;
    }

    public static ScriptArray Array(IEnumerable items)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(From(item));
        }
        return array;
    }

    private static ScriptObject Map(IReadOnlyDictionary<string, string> map)
    {
        var obj = new ScriptObject(map.Count);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj.SetValue(key, value, readOnly: false);
        }
        return obj;
    }

    // Native AOT keeps a type's properties for reflection only when told to: every record a template can
    // reach from the incident is named here (a test checks the list is complete), or a published build
    // would render them as empty objects.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Incident))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(AffectedComponents))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ChecklistItem))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(CodeReference))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(CodeSnippet))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ComponentState))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(FixTask))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Hypothesis))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(IncidentTimes))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(InvestigationPlan))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(LabeledList))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Note))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Reproduction))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(StatusChange))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(TestMethod))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(TimelineEntry))]
    // Scriban reads EvidenceView's members by reflection too.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicFields, typeof(EvidenceView))]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The record types templates reach are kept by the DynamicDependency attributes above.")]
    private static Member[] Reflect(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Member(StandardMemberRenamer.Rename(p.Name), Getter(type, p))),
    ];

    // A delegate bound to the property's getter is many times faster than PropertyInfo.GetValue over ten
    // thousand evidence records, and unlike a compiled expression tree it costs nothing to make: a
    // one-shot render of every document built ~130 expression getters, each through the expression
    // compiler and a fully optimising JIT.
    // Native AOT cannot make BoundGetter<TRecord, TValue> for a value-type TValue at run time (there is no
    // JIT to compile it), so without dynamic code the getter is called through reflection, which AOT
    // supports with precompiled invoke stubs.
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "Only taken when dynamic code is supported, which Native AOT is not.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only taken when dynamic code is supported, which Native AOT is not.")]
    private static Func<object, object?> Getter(Type type, PropertyInfo property) =>
        !RuntimeFeature.IsDynamicCodeSupported || type.IsValueType || property.GetMethod is not { } getter
            ? property.GetValue
            : (Func<object, object?>)BoundGetterMethod.MakeGenericMethod(type, property.PropertyType).Invoke(null, [getter])!;

    private static readonly MethodInfo BoundGetterMethod =
        typeof(ScriptValues).GetMethod(nameof(BoundGetter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static Func<object, object?> BoundGetter<TRecord, TValue>(MethodInfo getter)
    {
        var get = getter.CreateDelegate<Func<TRecord, TValue>>();
        return record => get((TRecord)record);
    }

    private sealed record Member(string Name, Func<object, object?> Get);
}
