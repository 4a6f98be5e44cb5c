using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Rendering.Tests;

public class RenderModelTests
{
    [Fact]
    public void Similar_issues_from_search_come_before_the_incidents_own_notes()
    {
        var input = SampleIncident.Build() with
        {
            Similar = [new SimilarIssue("2024-05-01-broker-outage", "Broker unreachable after network change", ["broker", "egress"])],
        };

        var markdown = Rendering.Render("investigation", input);

        var section = markdown[markdown.IndexOf("### Similar past issues", StringComparison.Ordinal)..];
        var found = section.IndexOf("- `2024-05-01-broker-outage`: Broker unreachable after network change (shared terms: `broker`, `egress`)", StringComparison.Ordinal);
        var note = section.IndexOf("- Queue outage after the broker upgrade last spring", StringComparison.Ordinal);
        Assert.True(found >= 0 && note > found, section);
    }

    [Fact]
    public void Secrets_in_evidence_are_rendered_redacted()
    {
        using var h = new CliHarness();
        var id = h.Run("new", "Key leak drill", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        h.Run("evidence", "add", id, "--kind", "log-excerpt", "client used AKIAIOSFODNN7EXAMPLE and password=hunter2secret").ShouldSucceed();

        h.Run("render", id, "--doc", "all", "--out", "out", "--html").ShouldSucceed();

        Assert.Contains("client used", File.ReadAllText(h.PathOf("out/status.md")), StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(h.PathOf("out")))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2secret", text, StringComparison.Ordinal);
        }
    }
}

public class NativeAotTests
{
    /// <summary>
    /// A published (Native AOT) build only keeps the properties of the record types ScriptValues names;
    /// a record added to the incident model without being named there would render as an empty object.
    /// </summary>
    [Fact]
    public void Every_record_a_template_can_reach_from_the_incident_is_kept_for_native_aot()
    {
        var scriptValues = typeof(DocumentRenderer).Assembly.GetType("Hokusai.Incidents.Rendering.ScriptValues", throwOnError: true)!;
        var reflect = scriptValues.GetMethod("Reflect", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var kept = reflect.GetCustomAttributes(typeof(System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute), false)
            .Cast<System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute>()
            .Where(a => a.MemberTypes.HasFlag(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties))
            .Select(a => a.Type)
            .ToHashSet();

        var reachable = new HashSet<Type>();
        void Walk(Type type)
        {
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Walk(argument);
            }
            if (type.IsArray)
            {
                Walk(type.GetElementType()!);
            }
            else if (type.Assembly == typeof(Incident).Assembly && !type.IsEnum && reachable.Add(type))
            {
                foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
                {
                    Walk(property.PropertyType);
                }
            }
        }
        Walk(typeof(Incident));

        Assert.Empty(reachable.Where(t => !kept.Contains(t)).Select(t => t.Name));
        Assert.Contains(typeof(EvidenceView), kept);
    }
}
