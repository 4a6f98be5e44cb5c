using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Hokusai.Incidents.Aws;

/// <summary>Where requests go and whose keys sign them; resolved once per command.</summary>
public sealed record AwsAccount(ImmutableCredentials Credentials, string Region, string? EndpointOverride, string CredentialSource)
{
    /// <summary>Requests of one account in one region share a rate budget.</summary>
    public string BudgetKey => $"{Credentials.AccessKey}@{Region}";

    /// <summary>The endpoint of a service: the override if any, else the public regional one.</summary>
    public Uri EndpointFor(string endpointPrefix) =>
        new(EndpointOverride ?? $"https://{endpointPrefix}.{Region}.amazonaws.com{(Region.StartsWith("cn-", StringComparison.Ordinal) ? ".cn" : "")}");
}

/// <summary>
/// The standard AWS credential chain. Static keys (environment variables, shared credentials and config
/// files) are read here from <see cref="AwsSettings.Variables"/>, so the caller decides which environment
/// counts; profiles that need more (SSO, assume-role, web identity, credential_process) and the
/// container and instance roles are handed to AWSSDK.Core.
/// </summary>
public static class AwsCredentialResolver
{
    public static async Task<AwsAccount> ResolveAsync(AwsSettings settings, CancellationToken cancellationToken)
    {
        var profileName = settings.ExplicitProfile;
        var profile = SharedProfile.Load(settings, profileName ?? "default");
        if (profileName is not null && profile is null)
        {
            throw new InvalidInputException(
                $"AWS profile '{profileName}' not found in {settings.CredentialsFile} or {settings.ConfigFile}");
        }
        var region = settings.Region ?? settings.Variable("AWS_REGION") ?? settings.Variable("AWS_DEFAULT_REGION") ?? profile?.Get("region")
            ?? throw new InvalidInputException("no AWS region: give --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in the profile");
        var endpoint = settings.EndpointUrl ?? settings.Variable("AWS_ENDPOINT_URL") ?? profile?.Get("endpoint_url");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new InvalidInputException($"invalid endpoint URL '{endpoint}': expected e.g. http://localhost:4566");
        }

        // Order of the AWS CLI: an explicit profile wins over keys in the environment, which win over the default profile.
        if (profileName is null && settings.Variable("AWS_ACCESS_KEY_ID") is { } envKey)
        {
            var secret = settings.Variable("AWS_SECRET_ACCESS_KEY")
                ?? throw new InvalidInputException("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
            return new AwsAccount(new ImmutableCredentials(envKey, secret, settings.Variable("AWS_SESSION_TOKEN")), region, endpoint, "environment");
        }
        if (profile is not null)
        {
            var fromProfile = await profile.CredentialsAsync(cancellationToken).ConfigureAwait(false);
            if (fromProfile is not null)
            {
                return new AwsAccount(fromProfile, region, endpoint, $"profile {profile.Name}");
            }
        }
        try
        {
            var fallback = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
            var creds = await fallback.GetCredentialsAsync().ConfigureAwait(false);
            return new AwsAccount(creds, region, endpoint, "default chain");
        }
        catch (AmazonClientException e)
        {
            // The SDK's message lists each provider's internal exception; the user needs to know where we looked.
            throw new InvalidInputException(
                $"no AWS credentials found; tried AWS_ACCESS_KEY_ID, profile '{profile?.Name ?? "default"}' in {settings.CredentialsFile} and {settings.ConfigFile}, " +
                "web identity, container and instance roles (details with --verbose)", e);
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>One named profile, merged from the credentials file and the config file.</summary>
    private sealed class SharedProfile(string name, Dictionary<string, string> values, AwsSettings settings)
    {
        public string Name { get; } = name;

        public string? Get(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        public static SharedProfile? Load(AwsSettings settings, string name)
        {
            var credentials = IniFile.Read(settings.CredentialsFile);
            var config = IniFile.Read(settings.ConfigFile);
            var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var found = false;
            var configSection = name == "default"
                ? config.GetValueOrDefault("default") ?? config.GetValueOrDefault("profile default")
                : config.GetValueOrDefault("profile " + name);
            foreach (var section in new[] { configSection, credentials.GetValueOrDefault(name) })
            {
                if (section is null)
                {
                    continue;
                }
                found = true;
                foreach (var (k, v) in section)
                {
                    merged[k] = v;
                }
            }
            return found ? new SharedProfile(name, merged, settings) : null;
        }

        public async Task<ImmutableCredentials?> CredentialsAsync(CancellationToken cancellationToken)
        {
            if (Get("aws_access_key_id") is { } key)
            {
                var secret = Get("aws_secret_access_key")
                    ?? throw new InvalidInputException($"AWS profile '{Name}' has aws_access_key_id but no aws_secret_access_key");
                return new ImmutableCredentials(key, secret, Get("aws_session_token"));
            }
            if (Get("role_arn") is null && Get("sso_session") is null && Get("sso_start_url") is null
                && Get("credential_process") is null && Get("web_identity_token_file") is null)
            {
                return null;
            }
            cancellationToken.ThrowIfCancellationRequested();
            // SSO, assume-role and friends: the SDK knows how; it reads the same files.
            try
            {
                var file = new SharedCredentialsFile(settings.CredentialsFile);
                if (!file.TryGetProfile(Name, out var profile))
                {
                    return null;
                }
                var creds = AWSCredentialsFactory.GetAWSCredentials(profile, file);
                return await creds.GetCredentialsAsync().ConfigureAwait(false);
            }
            // A credential_process that fails or prints no credentials throws ProcessAWSCredentialException,
            // which derives from none of the SDK's own exception types.
            catch (Exception e) when (e is AmazonClientException or AmazonServiceException or ProcessAWSCredentialException
                or InvalidOperationException or ArgumentException)
            {
                // Not "credentials: <message>": the redactor rightly takes the word after that label for a secret.
                throw new InvalidInputException($"AWS profile '{Name}' gave no credentials; the AWS SDK says: {OneLine(e.Message)}", e);
            }
        }
    }
}

/// <summary>The INI dialect of the AWS shared files: [section], key = value, # and ; comments.</summary>
internal static class IniFile
{
    public static Dictionary<string, Dictionary<string, string>> Read(string path)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }
        Dictionary<string, string>? current = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[' && line.EndsWith(']'))
            {
                var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                current = result.TryGetValue(name, out var existing) ? existing : result[name] = new(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            var eq = line.IndexOf('=');
            if (current is not null && eq > 0 && !char.IsWhiteSpace(raw[0]))
            {
                current[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }
        return result;
    }
}
