using Hokusai.Incidents.Testing;
using Scriban;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>Every rendering ends: time, size, loop and recursion limits, no clock, no files outside the templates folder.</summary>
public sealed class RenderLimitTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-limits-" + Guid.NewGuid().ToString("N"));

    public RenderLimitTests() => Directory.CreateDirectory(_dir);

    private TemplateSet With(string name, string text)
    {
        File.WriteAllText(Path.Combine(_dir, name + TemplateSet.Extension), text);
        return Rendering.Shipped(_dir);
    }

    private TemplateException Fails(string name, string text, RenderLimits? limits = null) =>
        Assert.Throws<TemplateException>(() => new DocumentRenderer(With(name, text), limits).Render(name, SampleIncident.Build()));

    [Fact]
    public void Rendering_several_documents_reports_the_first_failing_one_in_order_though_templates_are_parsed_ahead()
    {
        // "a" fails while rendering, "b" cannot even be parsed: rendered one after another, "a" fails first.
        With("a", "{{ no_such_variable }}");
        var set = With("b", "{{ if }");
        var renderer = new DocumentRenderer(set);

        var first = Assert.Throws<TemplateException>(() => renderer.RenderAll(["a", "b"], SampleIncident.Build()));
        Assert.StartsWith(Path.Combine(_dir, "a.sbn-md") + ":1:", first.Message, StringComparison.Ordinal);
        var parse = Assert.Throws<TemplateException>(() => renderer.RenderAll(["investigation", "b", "a"], SampleIncident.Build()));
        Assert.StartsWith(Path.Combine(_dir, "b.sbn-md") + ":1:", parse.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InvalidInputException>(() => renderer.RenderAll(["investigation", "memo", "a"], SampleIncident.Build()));
        Assert.Contains("unknown document 'memo'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_changes_a_built_in_setting_changes_it_for_its_own_document_only()
    {
        // Each document gets Scriban's built-in functions of its own, made ahead of rendering.
        With("a", "{{ date.format = \"%Y\" }}{{ date.parse \"2025-08-18\" }}");
        var set = With("b", "{{ date.parse \"2025-08-18\" }}");

        var documents = new DocumentRenderer(set).RenderAll(["a", "b", "a"], SampleIncident.Build());

        Assert.Equal(["2025", "18 Aug 2025", "2025"], documents.Select(d => d.Markdown.Trim()));
    }

    [Fact]
    public void A_template_cannot_change_the_incident_so_every_other_document_sees_it_as_stored()
    {
        var input = SampleIncident.Build();
        With("retitle", "{{ incident.title = \"changed\" }}");
        With("reorder", "text\n{{ incident.hypotheses[0] = 1 }}");
        With("relabel", "{{ for e in incident.evidence }}{{ e.attributes.url = \"x\" }}{{ end }}");
        var set = With("title", "{{ mine = incident.title | string.upcase }}{{ mine }} {{ incident.hypotheses.size }}");
        var renderer = new DocumentRenderer(set);

        var retitle = Assert.Throws<TemplateException>(() => renderer.RenderAll(["retitle", "title"], input));
        Assert.StartsWith(Path.Combine(_dir, "retitle.sbn-md") + ":1:", retitle.Message, StringComparison.Ordinal);
        var reorder = Assert.Throws<TemplateException>(() => renderer.RenderAll(["title", "reorder"], input));
        Assert.StartsWith(Path.Combine(_dir, "reorder.sbn-md") + ":2:", reorder.Message, StringComparison.Ordinal);
        var relabel = Assert.Throws<TemplateException>(() => renderer.RenderAll(["relabel"], input));
        Assert.StartsWith(Path.Combine(_dir, "relabel.sbn-md"), relabel.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', relabel.Message);

        // Variables, arrays and objects of a template's own are still free to set.
        var title = Assert.Single(renderer.RenderAll(["title"], input));
        Assert.Equal($"{input.Incident.Title.ToUpperInvariant()} {input.Incident.Hypotheses.Count}", title.Markdown.Trim());
        var own = With("own", "{{ list = [1, 2] }}{{ list[0] = 5 }}{{ o = {} }}{{ o.a = 7 }}{{ list[0] }} {{ o.a }}");
        Assert.Equal("5 7", new DocumentRenderer(own).Render("own", input).Markdown.Trim());
    }

    [Fact]
    public void Documents_rendered_together_are_the_documents_rendered_one_at_a_time()
    {
        var input = SampleIncident.Build();
        var together = new DocumentRenderer(Rendering.Shipped()).RenderAll(TemplateSet.StandardDocuments, input);

        var alone = TemplateSet.StandardDocuments.Select(name => new DocumentRenderer(Rendering.Shipped()).Render(name, input)).ToList();

        Assert.Equal(alone.Select(d => (d.Name, d.Markdown)), together.Select(d => (d.Name, d.Markdown)));
        Assert.All(together, d => Assert.True(d.Markdown.Length > 200, d.Name));
    }

    [Fact]
    public void Every_built_in_module_of_Scriban_can_be_named_by_a_template()
    {
        // A document is given only the built-in modules its template names; each one Scriban has must be found.
        var modules = TemplateContext.GetDefaultBuiltinObject().Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Contains("string", modules);
        foreach (var module in modules)
        {
            var set = With("uses", "{{ m = @" + module + " }}named");
            Assert.Equal("named", new DocumentRenderer(set).Render("uses", SampleIncident.Build()).Markdown.Trim());
        }
        // And one a template uses through object.eval, whose text names no module until it runs.
        var eval = With("eval", "{{ \"{{ 7 | math.minus 2 }}\" | object.eval_template }}");
        Assert.Equal("5", new DocumentRenderer(eval).Render("eval", SampleIncident.Build()).Markdown.Trim());
    }

    [Fact]
    public void An_endless_loop_stops_at_the_time_limit_naming_template_line_and_column()
    {
        var started = DateTime.UtcNow;
        var e = Fails("spin", "before\n{{ while true\n x = 1\n end }}", new RenderLimits { Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Matches(@"spin\.sbn-md:\d+:\d+: rendering took longer than the 0\.3 s limit", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_loop_stops_at_the_iteration_limit()
    {
        var e = Fails("many", "{{ for i in 1..1000000 }}{{ end }}", new RenderLimits { MaxLoopIterations = 1000 });
        Assert.Contains("many.sbn-md:1:", e.Message);
    }

    [Fact]
    public void Output_and_strings_are_limited_in_size()
    {
        var small = new RenderLimits { MaxChars = 10_000 };
        Assert.Contains("big.sbn-md:1:", Fails("big", "{{ for i in 1..5000 }}abcdefgh{{ end }}", small).Message);
        var e = Fails("grow", "{{ s = 'aaaaaaaa'\n for i in 1..30\n s = s + s\n end }}", small);
        Assert.Matches(@"grow\.sbn-md:3:\d+: the template built a string of [\d,]+ characters, over the 10,000 limit", e.Message);
    }

    [Fact]
    public void Recursion_and_cyclic_objects_end_with_an_error_not_a_crash()
    {
        Assert.Contains("recursive depth limit", Fails("rec", "{{ func f(n)\n ret f(n + 1)\n end\n f(1) }}").Message);
        Assert.Contains("cyc.sbn-md:1:", Fails("cyc", "{{ x = {}\n x.self = x\n x }}").Message);
        Assert.Contains("json.sbn-md:", Fails("json", "{{ x = {}\n x.self = x\n x | object.to_json }}").Message);
    }

    [Fact]
    public void Templates_have_no_clock()
    {
        var e = Fails("clock", "Rendered {{ date.now }}");
        Assert.Matches(@"clock\.sbn-md:1:\d+: .*now", e.Message);
        // Dates from the incident still format.
        var ok = new DocumentRenderer(With("dated", "{{ incident.times.started | utc }}")).Render("dated", SampleIncident.Build());
        Assert.StartsWith("2025-03-04T", ok.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_leads_out_of_its_folder_or_is_not_a_file_is_refused()
    {
        var secret = Path.Combine(Path.GetTempPath(), "hokusai-secret-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(secret, "root:$6$hash:19000::::::\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_dir, "shadow" + TemplateSet.Extension), secret);
            var set = Rendering.Shipped(_dir);
            var e = Assert.Throws<TemplateException>(() => new DocumentRenderer(set).Render("shadow", SampleIncident.Build()));
            Assert.Contains("inside its templates folder", e.Message);
            Assert.DoesNotContain("root:", e.Message);
        }
        finally
        {
            File.Delete(secret);
        }
        var fifo = Path.Combine(_dir, "pipe" + TemplateSet.Extension);
        System.Diagnostics.Process.Start("mkfifo", [fifo])!.WaitForExit();
        var pipe = Assert.Throws<TemplateException>(() => new DocumentRenderer(Rendering.Shipped(_dir)).Render("pipe", SampleIncident.Build()));
        Assert.Contains("FIFO", pipe.Message);
    }

    [Fact]
    public void A_task_tree_70_levels_deep_renders_to_html()
    {
        using var h = new CliHarness();
        h.Run("new", "Deep tree", "--id", "deep").ShouldSucceed();
        var incident = SampleIncident.Build().Incident with { Id = "deep", Title = "Deep tree" };
        var tasks = Enumerable.Range(1, 70).Select(n => new FixTask { Number = n, Title = $"level {n}", Parent = n == 1 ? null : n - 1 }).ToList();
        var file = h.PathOf("deep.json");
        File.WriteAllText(file, new Serialization.CaseFile { Incident = incident with { Tasks = tasks } }.ToJson());
        h.Run("import", file, "--replace").ShouldSucceed();

        h.Run("render", "deep", "--doc", "fix-tasks", "--html", "--out", h.PathOf("out")).ShouldSucceed();

        var html = File.ReadAllText(h.PathOf("out/fix-tasks.html"));
        Assert.Contains("level 70", html);
    }

    /// <summary>A real process rendering an endless template stops on SIGTERM, says so and exits 130.</summary>
    [Fact]
    public async Task Sigterm_stops_an_endless_render_with_exit_130()
    {
        using var h = new CliHarness();
        h.Run("new", "Spinning", "--id", "spin").ShouldSucceed();
        var templates = h.PathOf("tpl");
        Directory.CreateDirectory(templates);
        // Many loops, each below the iteration limit (Scriban counts each outermost loop afresh): on a quiet
        // machine a single `while true` reaches the limit and ends with exit 2 before the signal is sent.
        var loop = "{{ i = 0 }}{{ while i < 19000000 }}{{ i = i + 1 }}{{ end }}";
        File.WriteAllText(Path.Combine(templates, "spin" + TemplateSet.Extension), string.Concat(Enumerable.Repeat(loop, 40)));
        using var process = new CliProcess(h, "render", "spin", "--doc", "spin", "--templates", templates);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        process.Signal(15);

        var run = await process.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(130, run.ExitCode);
        Assert.StartsWith("incidents: error: cancelled", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal("", run.Out);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
