namespace Hokusai.Incidents.Search.Tests;

public sealed class SearchTests(SeededKnowledgeBase kb) : IClassFixture<SeededKnowledgeBase>
{
    [Theory]
    [InlineData("504 after deploy", KnowledgeBase.BadDeploy)]
    [InlineData("health check path /health/alb", KnowledgeBase.Routing)]
    [InlineData("SyntaxError '(' was never closed", KnowledgeBase.BadDeploy)]
    [InlineData("password authentication failed", KnowledgeBase.Credentials)]
    [InlineData("NXDOMAIN registry.hokus.ai", KnowledgeBase.Dns)]
    [InlineData("rotated database secret", KnowledgeBase.Credentials)]
    [InlineData("port 6379 security group", KnowledgeBase.Redis)]
    [InlineData("listener rule priority", KnowledgeBase.Routing)]
    [InlineData("container killed exit code 137 model cache", KnowledgeBase.Oom)]
    public void Engineer_queries_put_the_expected_incident_first(string query, string expected)
    {
        var hits = kb.Search(query).Hits;
        Assert.NotEmpty(hits);
        Assert.Equal(expected, hits[0].IncidentId);
    }

    [Theory]
    [InlineData("504", KnowledgeBase.BadDeploy)]
    [InlineData("/api/mlflow/health", KnowledgeBase.Routing)]
    [InlineData("10.0.3.219:5000", KnowledgeBase.BadDeploy)]
    [InlineData("SyntaxError", KnowledgeBase.BadDeploy)]
    [InlineData("ECONNREFUSED", KnowledgeBase.Redis)]
    [InlineData("hokusai-api-development", KnowledgeBase.BadDeploy)]
    [InlineData("10.0.5.17:6379", KnowledgeBase.Redis)]
    [InlineData("OOMKilled", KnowledgeBase.Oom)]
    public void Technical_tokens_are_found_as_typed_and_only_where_they_occur(string token, string expected)
    {
        var hits = kb.Search(token, limit: 50).Hits;
        Assert.NotEmpty(hits);
        Assert.Equal(expected, hits[0].IncidentId);
        // Each token is written into few incidents; a hit elsewhere would mean the token was broken up.
        var holders = kb.Store.List().Where(i => Mentions(i, token)).Select(i => i.Id).ToHashSet();
        Assert.All(hits, h => Assert.Contains(h.IncidentId, holders));
        Assert.Contains($"**{token}", hits[0].Snippet, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_address_with_another_port_does_not_match()
    {
        // The routing incident has 10.0.3.219:8080; asking for :5000 must not find it.
        Assert.DoesNotContain(kb.Search("10.0.3.219:5000", 50).Hits, h => h.IncidentId == KnowledgeBase.Routing);
        Assert.Contains(kb.Search("10.0.3.219", 50).Hits, h => h.IncidentId == KnowledgeBase.Routing);
    }

    [Fact]
    public void Part_of_a_hyphenated_name_or_path_finds_the_whole()
    {
        Assert.Equal(KnowledgeBase.BadDeploy, kb.Search("hokusai-api").Hits[0].IncidentId);
        Assert.Equal(KnowledgeBase.Routing, kb.Search("mlflow health").Hits[0].IncidentId);
        Assert.Equal(KnowledgeBase.BadDeploy, kb.Search("\"syntax error\"").Hits[0].IncidentId);
    }

    [Theory]
    [InlineData("timeouts", "timeout")]
    [InlineData("evictions", "evicted")]
    [InlineData("rotating", "rotated")]
    public void English_stemming_finds_other_forms(string query, string written)
    {
        var hits = kb.Search(query).Hits;
        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.Snippet.Contains($"**{written}", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Phrases_prefixes_fields_and_boolean_operators_work()
    {
        var phrase = kb.Search("\"connection refused\"").Hits;
        Assert.Equal(KnowledgeBase.BadDeploy, phrase[0].IncidentId);
        Assert.Empty(kb.Search("\"refused connection\"").Hits);

        Assert.Equal(KnowledgeBase.Routing, kb.Search("/api/mlflow*").Hits[0].IncidentId);
        Assert.All(kb.Search("OOMKill*", 50).Hits, h => Assert.Contains(h.IncidentId, new[] { KnowledgeBase.Oom, KnowledgeBase.OomAgain }));

        var titled = kb.Search("title:redis", 50).Hits;
        Assert.NotEmpty(titled);
        Assert.All(titled, h => Assert.Equal(KnowledgeBase.Redis, h.IncidentId));

        var notWebhook = kb.Search("NXDOMAIN NOT webhook NOT partner", 50).Hits;
        Assert.NotEmpty(notWebhook);
        Assert.All(notWebhook, h => Assert.Equal(KnowledgeBase.Dns, h.IncidentId));

        var both = kb.Search("ENOTFOUND AND partner", 50).Hits;
        Assert.NotEmpty(both);
        Assert.All(both, h => Assert.Equal(KnowledgeBase.DnsAgain, h.IncidentId));

        var either = kb.Search("(NXDOMAIN OR OOMKilled) AND kind:incident", 50).Hits.Select(h => h.IncidentId).ToHashSet();
        Assert.Equal(new HashSet<string> { KnowledgeBase.Dns, KnowledgeBase.DnsAgain, KnowledgeBase.Oom, KnowledgeBase.OomAgain }, either);
    }

    [Fact]
    public void A_prefix_finds_words_the_stemmer_shortens()
    {
        // "dns" is stemmed to "dn" and "deploying" to "deploi": a prefix must still reach them as written.
        var dns = kb.Search("dns*", 50).Hits;
        Assert.Contains(dns, h => h.IncidentId == KnowledgeBase.Dns && h.Snippet.Contains("**DNS**", StringComparison.Ordinal));

        var deploy = kb.Search("deploy*", 50).Hits;
        Assert.Contains(deploy, h => h.IncidentId == KnowledgeBase.BadDeploy && h.Snippet.Contains("**deploying**", StringComparison.Ordinal));
        Assert.Contains(deploy, h => h.IncidentId == KnowledgeBase.Credentials && h.Snippet.Contains("**deployment**", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_word_must_match_until_no_item_has_them_all()
    {
        var all = kb.Search("NXDOMAIN registry", 50);
        Assert.Equal(SearchResults.AllWords, all.Match);
        Assert.NotEmpty(all.Hits);
        Assert.All(all.Hits, h => Assert.Equal(KnowledgeBase.Dns, h.IncidentId));

        // No single item mentions both; rather than nothing, the items with either come back, flagged.
        var either = kb.Search("NXDOMAIN OOMKilled", 50);
        Assert.Equal(SearchResults.AnyWord, either.Match);
        var incidents = either.Hits.Select(h => h.IncidentId).ToHashSet();
        Assert.Contains(KnowledgeBase.Dns, incidents);
        Assert.Contains(KnowledgeBase.Oom, incidents);

        // Little words are not required: no log line says "the" or "for", and these would otherwise fall back.
        var filler = kb.Search("the dig status for the NXDOMAIN", 50);
        Assert.Equal(SearchResults.AllWords, filler.Match);
        Assert.Equal(2, filler.Hits.Count);
        Assert.All(filler.Hits, h => Assert.Contains("**dig**", h.Snippet, StringComparison.Ordinal));

        var asked = kb.Index.Search(new SearchRequest { Query = "NXDOMAIN registry", AnyWord = true, Limit = 50 });
        Assert.Equal(SearchResults.AnyWord, asked.Match);
        Assert.True(asked.TotalHits > all.TotalHits);
    }

    [Fact]
    public void Refuted_hypotheses_are_searchable()
    {
        var hits = kb.Index.Search(new SearchRequest { Query = "resolver cache stale negative answer", Kind = "hypothesis" }).Hits;
        Assert.Equal(KnowledgeBase.Dns, hits[0].IncidentId);
        Assert.Equal("H2", hits[0].Item);

        var refuted = kb.Search("state:refuted memory leak").Hits;
        Assert.Equal((KnowledgeBase.Oom, "H2"), (refuted[0].IncidentId, refuted[0].Item));
    }

    [Fact]
    public void Hits_name_the_incident_the_item_and_mark_matched_terms()
    {
        var hit = kb.Search("password authentication failed").Hits[0];
        Assert.Equal("MLflow tracking server crash-looping after database credential rotation", hit.IncidentTitle);
        Assert.Contains("**password**", hit.Snippet, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("**authentication**", hit.Snippet, StringComparison.OrdinalIgnoreCase);
        Assert.True(hit.Score > 0);

        var task = kb.Search("compileall").Hits[0];
        Assert.Equal(("task", "T2"), (task.Kind, task.Item));
        var evidence = kb.Index.Search(new SearchRequest { Query = "routes.py", Kind = "evidence" }).Hits[0];
        Assert.Equal(("evidence", "E1"), (evidence.Kind, evidence.Item));
    }

    [Fact]
    public void Filters_narrow_by_kind_service_severity_status_and_time()
    {
        SearchResults Run(SearchRequest r) => kb.Index.Search(r with { Limit = 100 });

        var tasks = Run(new SearchRequest { Query = "build", Kind = "task" }).Hits;
        Assert.NotEmpty(tasks);
        Assert.All(tasks, h => Assert.Equal("task", h.Kind));

        var service = Run(new SearchRequest { Query = "exit code 137", Service = "billing" }).Hits;
        Assert.NotEmpty(service);
        Assert.All(service, h => Assert.Equal(KnowledgeBase.OomAgain, h.IncidentId));

        var sev1 = Run(new SearchRequest { Query = "deploy OR rotation OR timeout", Severity = Severity.Sev1 }).Hits;
        Assert.NotEmpty(sev1);
        Assert.All(sev1, h => Assert.Equal("SEV1", h.Severity));

        var open = Run(new SearchRequest { Query = "memory", Status = IncidentStatus.Mitigating }).Hits;
        Assert.NotEmpty(open);
        Assert.All(open, h => Assert.Equal(KnowledgeBase.OomAgain, h.IncidentId));

        var recent = Run(new SearchRequest { Query = "NXDOMAIN", Since = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero) }).Hits;
        Assert.NotEmpty(recent);
        Assert.All(recent, h => Assert.Equal(KnowledgeBase.DnsAgain, h.IncidentId));

        Assert.Throws<InvalidInputException>(() => Run(new SearchRequest { Query = "x", Kind = "ticket" }));
    }

    [Theory]
    [InlineData(KnowledgeBase.Dns, KnowledgeBase.DnsAgain, "nxdomain")]
    [InlineData(KnowledgeBase.Oom, KnowledgeBase.OomAgain, "137")]
    [InlineData(KnowledgeBase.OomAgain, KnowledgeBase.Oom, "oomkilled")]
    public void Similar_ranks_the_closest_outage_first_with_shared_terms(string id, string closest, string sharedTerm)
    {
        var similar = kb.Index.SimilarIncidents(id, 5);
        Assert.NotEmpty(similar);
        Assert.DoesNotContain(similar, s => s.Id == id);
        Assert.Equal(closest, similar[0].Id);
        Assert.Contains(sharedTerm, similar[0].SharedTerms);
        Assert.True(similar[0].Score >= similar[^1].Score);
    }

    [Theory]
    [InlineData("(timeout OR 504", "'(' is never closed")]
    [InlineData("\"connection refused", "never closed")]
    [InlineData("timeout AND", "ends")]
    [InlineData("title:", "no value")]
    public void Query_syntax_errors_are_one_line_messages(string query, string says)
    {
        var e = Assert.Throws<InvalidInputException>(() => kb.Search(query));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(query, e.Message, StringComparison.Ordinal);
    }

    private static bool Mentions(Incident i, string token) =>
        System.Text.Json.JsonSerializer.Serialize(i).Contains(token, StringComparison.OrdinalIgnoreCase)
        || i.Id is KnowledgeBase.BadDeploy or KnowledgeBase.Redis or KnowledgeBase.Routing or KnowledgeBase.Oom or KnowledgeBase.OomAgain
            && EvidenceMentions(i.Id, token);

    private static bool EvidenceMentions(string id, string token) => token switch
    {
        "SyntaxError" or "10.0.3.219:5000" => id == KnowledgeBase.BadDeploy,
        "/api/mlflow/health" => id == KnowledgeBase.Routing,
        "ECONNREFUSED" or "10.0.5.17:6379" => id == KnowledgeBase.Redis,
        "OOMKilled" => id is KnowledgeBase.Oom or KnowledgeBase.OomAgain,
        _ => false,
    };
}
