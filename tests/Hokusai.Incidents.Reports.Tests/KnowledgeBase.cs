using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Reports.Tests;

/// <summary>
/// Four written incidents, built through the CLI, whose figures are worked out by hand in the tests
/// (now is 2025-09-01 12:00 UTC):
/// <code>
/// id            sev   services     started           detect  mitigate  resolve  tasks (due, owner, done)
/// registry-504  sev1  api          2025-08-18 09:00  20m     60m       150m     T1 08-20 dana; T2 08-19 done; T3 09-15 lee
/// mlflow-oom    sev2  mlflow, api  2025-08-25 14:00  5m      35m       120m     T1 08-26 DANA; T2 no due, lee
/// dns-blip      sev2  api          2025-07-10 08:00  30m     -         60m      T1 07-20 done
/// cert-expiry   sev3  web          2025-06-01 00:00  65m*    -         -        (none)        * from a detection timeline entry
/// </code>
/// </summary>
public static class KnowledgeBase
{
    public static readonly DateTimeOffset Now = new(2025, 9, 1, 12, 0, 0, TimeSpan.Zero);

    public static CliHarness Write()
    {
        var h = new CliHarness(Now);
        h.Run("new", "Registry returns 504", "--id", "registry-504", "--severity", "sev1", "--service", "api", "--started", "2025-08-18T09:00Z").ShouldSucceed();
        h.Run("update", "registry-504", "--detected", "2025-08-18T09:20Z", "--mitigated", "2025-08-18T10:00Z", "--resolved", "2025-08-18T11:30Z").ShouldSucceed();
        h.Run("task", "add", "registry-504", "Fix the syntax error", "--owner", "dana", "--due", "2025-08-20").ShouldSucceed();
        h.Run("task", "add", "registry-504", "Build a new image", "--due", "2025-08-19").ShouldSucceed();
        h.Run("task", "add", "registry-504", "Add a CI import check", "--owner", "lee", "--due", "2025-09-15").ShouldSucceed();
        h.Run("task", "done", "registry-504", "T2").ShouldSucceed();

        h.Run("new", "MLflow killed for memory", "--id", "mlflow-oom", "--severity", "sev2", "--service", "mlflow", "--service", "api", "--started", "2025-08-25T14:00Z").ShouldSucceed();
        h.Run("update", "mlflow-oom", "--detected", "2025-08-25T14:05Z", "--mitigated", "2025-08-25T14:35Z", "--resolved", "2025-08-25T16:00Z").ShouldSucceed();
        h.Run("task", "add", "mlflow-oom", "Raise the memory limit", "--owner", "DANA", "--due", "2025-08-26").ShouldSucceed();
        h.Run("task", "add", "mlflow-oom", "Alert on container restarts", "--owner", "lee").ShouldSucceed();

        h.Run("new", "DNS lookups fail", "--id", "dns-blip", "--severity", "sev2", "--service", "api", "--started", "2025-07-10T08:00Z").ShouldSucceed();
        h.Run("update", "dns-blip", "--detected", "2025-07-10T08:30Z", "--resolved", "2025-07-10T09:00Z").ShouldSucceed();
        h.Run("task", "add", "dns-blip", "Lower the TTL", "--due", "2025-07-20").ShouldSucceed();
        h.Run("task", "done", "dns-blip", "T1").ShouldSucceed();

        h.Run("new", "Certificate expired", "--id", "cert-expiry", "--severity", "sev3", "--service", "web", "--started", "2025-06-01T00:00Z").ShouldSucceed();
        h.Run("timeline", "add", "cert-expiry", "--at", "2025-06-01T01:05Z", "--kind", "detection", "Browser warnings reported").ShouldSucceed();
        return h;
    }
}
