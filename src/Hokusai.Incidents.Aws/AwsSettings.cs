namespace Hokusai.Incidents.Aws;

/// <summary>
/// What the user chose on the command line, plus the environment variables to read the rest from
/// (the process environment in real use, a dictionary in tests).
/// </summary>
public sealed record AwsSettings
{
    public string? Profile { get; init; }
    public string? Region { get; init; }
    public string? EndpointUrl { get; init; }
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = new Dictionary<string, string?>();
    /// <summary>
    /// How long one request may keep failing (throttled, 5xx, timeouts, resets) before the pull gives up;
    /// any success starts the clock again. <c>--max-wait</c> on the command line.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = DefaultMaxWait;

    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(5);
    public RetryOptions Retry { get; init; } = new();
    /// <summary>Requests per second allowed per account and region (shared by every client in the process).</summary>
    public double RequestsPerSecond { get; init; } = 10;

    public string? Variable(string name) => Variables.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public string? HomeDirectory =>
        Variable("HOME") ?? Variable("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The profile named by --profile, else $AWS_PROFILE; null when neither is given.</summary>
    public string? ExplicitProfile => Profile ?? Variable("AWS_PROFILE");

    public string CredentialsFile =>
        Variable("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(HomeDirectory ?? ".", ".aws", "credentials");

    public string ConfigFile => Variable("AWS_CONFIG_FILE") ?? Path.Combine(HomeDirectory ?? ".", ".aws", "config");
}

/// <summary>Backoff settings; tests shrink the delays.</summary>
public sealed record RetryOptions
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Attempts for non-throttle transient failures (5xx, resets, truncated bodies); throttles are retried until the deadline.</summary>
    public int MaxTransientAttempts { get; init; } = 8;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
