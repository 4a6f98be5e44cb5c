using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
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

    public static string Word(Enum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static ScriptObject Record(object record)
    {
        var members = Members.GetOrAdd(record.GetType(), Reflect);
        var obj = new ScriptObject(members.Length + 8);
        foreach (var m in members)
        {
            obj.SetValue(m.Name, From(m.Property.GetValue(record)), readOnly: false);
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

    private static Member[] Reflect(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Member(StandardMemberRenamer.Rename(p.Name), p)),
    ];

    private sealed record Member(string Name, PropertyInfo Property);
}
