namespace Hokusai.Incidents.Testing;

/// <summary>
/// One secret as people paste it: the text around it, and the parts of it that must not survive
/// anywhere (compared with punctuation and case squashed away, so a secret that lost its
/// underscores on the way into an id still counts as leaked).
/// </summary>
public sealed record SecretSample(string Format, string Text, params string[] Fragments)
{
    public bool IsSingleLine => !Text.Contains('\n');

    public override string ToString() => Format;

    /// <summary>The first fragment of this secret found in <paramref name="text"/>, or null.</summary>
    public string? LeakIn(string text)
    {
        var haystack = Squash(text);
        return Fragments.FirstOrDefault(f => haystack.Contains(Squash(f), StringComparison.Ordinal));
    }

    /// <summary>Lower-case letters and digits only: how a secret looks after slugging or heading clean-up.</summary>
    public static string Squash(string text) =>
        new([.. text.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
}

/// <summary>
/// The redaction corpus shared by the redactor's own tests and the tests that push it through every
/// input path. The values are made up in the shape of the real thing; none is a live credential.
/// </summary>
public static class RedactionCorpus
{
    public static IReadOnlyList<SecretSample> Secrets { get; } =
    [
        new("hokusai api key in a markdown list", "- API Key: `hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN`", "pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN"),
        new("hokusai api key upper-case", "the key HK_LIVE_Q9xT4mPz8KwL2vRb7NcY5dFh was pasted in chat", "Q9xT4mPz8KwL2vRb7NcY5dFh"),
        new("hokusai test key", "HOKUSAI_TEST_KEY hk_test_Zr81bXq4LmN0pWs7TuV2", "Zr81bXq4LmN0pWs7TuV2"),
        new("stripe secret key", "charge failed with sk_live_51HcWq8ZtW3vYp0aBcDeFgHiJ", "51HcWq8ZtW3vYp0aBcDeFgHiJ"),
        new("stripe restricted key", "restricted key rk_live_9aK2mQ7xZ3vB8nC1dE4fG6hJ", "9aK2mQ7xZ3vB8nC1dE4fG6hJ"),
        new("stripe webhook secret", "STRIPE_WEBHOOK whsec_x7Yb2Nq9Lm4Kp1Rs8Tv3Uw6Zc0Ad", "x7Yb2Nq9Lm4Kp1Rs8Tv3Uw6Zc0Ad"),
        new("aws access key id", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        new("aws temporary key id", "key id ASIAY34FZKBOKMUTVV7A used by the task role", "ASIAY34FZKBOKMUTVV7A"),
        new("aws secret key keyed", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        new("aws secret key bare", "secret in a log: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY end", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY"),
        new("aws session token keyed", "aws_session_token = IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleSessionTokenPartTwo9s8d7f6",
            "IQoJb3JpZ2luX2VjEJr", "DexampleSessionTokenPartTwo9s8d7f6"),
        new("aws session token in sts json", "{\"Credentials\": {\"SessionToken\": \"FwoGZXIvYXdzEBYaDHexampleSTStokenValue0123456789abcdef\"}}",
            "FwoGZXIvYXdzEBYaDHexampleSTStokenValue0123456789abcdef"),
        new("aws session token bare", "assumed role, token IQoJb3JpZ2luX2VjEKb3example0123456789ABCDEFGHIJklmnop/+== cached",
            "IQoJb3JpZ2luX2VjEKb3example0123456789ABCDEFGHIJklmnop"),
        new("github classic token", "git clone https://ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5@github.com/org/repo", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5"),
        new("github fine-grained token", "GH token github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzAB",
            "11ABCDEFG0aBcDeFgHiJkL", "mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzAB"),
        new("github oauth token", "oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", "16C7e42F292c6912E7710c838347Ae178B4a"),
        new("gitlab token", "CI_JOB uses glpat-xY7zW9vU1tS3rQ5pO7nM", "xY7zW9vU1tS3rQ5pO7nM"),
        new("slack bot token", "SLACK_BOT xoxb-2847561930-4928375610-aBcDeFgHiJkLmNoPqRsTuVwX", "2847561930-4928375610-aBcDeFgHiJkLmNoPqRsTuVwX"),
        new("slack user token", "used xoxp-1234567890-0987654321-1122334455-abcdef1234567890abcdef1234567890", "abcdef1234567890abcdef1234567890"),
        new("slack app token", "socket mode xapp-1-A0123BCDE45-1234567890123-abcdef0123456789abcdef0123456789", "A0123BCDE45-1234567890123-abcdef0123456789abcdef0123456789"),
        new("slack webhook", "notify https://hooks.slack.com/services/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", "zYxWvUtSrQpOnMlKjIhGfEdC"),
        new("google api key", "maps key AIzaSyDqX7bN3kLm9PqRs2TuVwXyZ0aBcDeFgHi used", "SyDqX7bN3kLm9PqRs2TuVwXyZ0aBcDeFgHi"),
        new("google oauth client secret", "client GOCSPX-1a2B3c4D5e6F7g8H9i0JkLmNoP", "1a2B3c4D5e6F7g8H9i0JkLmNoP"),
        new("google oauth access token", "token ya29.a0AfH6SMBexampleGoogleAccessToken123456", "a0AfH6SMBexampleGoogleAccessToken123456"),
        new("npm token", "//registry.npmjs.org/:_authToken npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
        new("openai key", "OPENAI sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56", "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56"),
        new("anthropic key", "client built with sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe", "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"),
        new("hugging face token", "HF hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", "AbCdEfGhIjKlMnOpQrStUvWxYz01234567"),
        new("sendgrid key", "mail SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012", "aBcDeFgHiJkLmNoPqRsTuV", "wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012"),
        new("mailgun key", "MAILGUN key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "3ax6xnjp29jd6fds4gc373sgvjxteol0"),
        new("digitalocean token", "doctl dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        new("shopify token", "shop shpat_0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),
        new("vault token", "VAULT hvs.CAESIJ9xYz8WvU7tS6rQ5pO4nM3lK2jI1hG0fE", "CAESIJ9xYz8WvU7tS6rQ5pO4nM3lK2jI1hG0fE"),
        new("databricks token", "dbx dapi0123456789abcdef0123456789abcdef", "dapi0123456789abcdef0123456789abcdef"),
        new("postman key", "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01", "0123456789abcdef01234567-0123456789abcdef0123456789abcdef01"),
        new("grafana service account token", "glsa_AbCdEfGhIjKlMnOpQrStUvWxYz012345_0a1b2c3d", "AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
        new("new relic key", "NR NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0"),
        new("pypi token", "twine pypi-AgEIcHlwaS5vcmcCJGExampleTokenBody0123456789abcdefABCDEF_-0123456789",
            "AgEIcHlwaS5vcmcCJGExampleTokenBody0123456789abcdefABCDEF"),
        new("docker hub token", "docker login -u ci dckr_pat_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr", "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr"),
        new("linear key", "lin_api_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD"),
        new("doppler token", "DOPPLER dp.st.prd.AbCdEfGhIjKlMnOpQrStUvWxYz0123", "AbCdEfGhIjKlMnOpQrStUvWxYz0123"),
        new("atlassian token", "jira ATATT3xFfGF0AbCdEfGhIjKlMnOpQrStUvWxYz=0A1B2C3D", "xFfGF0AbCdEfGhIjKlMnOpQrStUvWxYz"),
        new("telegram bot token", "bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0 started", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"),
        new("discord webhook", "https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
        new("azure storage account key", "DefaultEndpointsProtocol=https;AccountName=hokusai;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA+/ab==;EndpointSuffix=core.windows.net",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"),
        new("azure sas signature", "https://hokusai.blob.core.windows.net/c/b.txt?sv=2022-11-02&sr=b&sig=a1B2c3D4e5F6g7H8i9J0kLmNoPq%2BrSt%3D", "a1B2c3D4e5F6g7H8i9J0kLmNoPq"),
        new("azure ad client secret", "AZURE_CLIENT abc8Q~AbCdEfGhIjKlMnOpQrStUvWxYz012345", "AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
        new("jwt", "cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        new("bearer header", "curl -H 'Authorization: Bearer abcdef0123456789token' https://api", "abcdef0123456789token"),
        new("basic header", "Authorization: Basic YWRtaW46aHVudGVyMg==", "YWRtaW46aHVudGVyMg"),
        new("token scheme header", "Authorization: token 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        new("postgres url with @ in password", "DATABASE_URL postgres://admin:p@ssW0rd@hokusai-db.internal:5432/mlflow", "ssW0rd"),
        new("mysql url", "mysql://mlflow:s3cr3tPassw0rd@db.internal:3306/mlflow", "s3cr3tPassw0rd"),
        new("mongodb url", "mongodb+srv://app:Mong0Pa55@cluster0.ab1cd.mongodb.net/prod?retryWrites=true", "Mong0Pa55"),
        new("redis url without user", "REDIS_URL=redis://:R3disPa55word@cache.internal:6379/0", "R3disPa55word"),
        new("amqp url", "broker amqp://guest:Rabb1tPw@mq.internal:5672/", "Rabb1tPw"),
        new("oracle sqlplus", "sqlplus scott/T1gerPw@orcl @report.sql", "T1gerPw"),
        new("oracle jdbc thin", "jdbc:oracle:thin:scott/Or4clePw@//db.internal:1521/ORCL", "Or4clePw"),
        new("oracle easy connect", "connect string app/EzC0nnPw@db.internal:1521/svc", "EzC0nnPw"),
        new("sql server connection string", "Server=db;User Id=sa;Password=Hunter2!x;Database=mlflow", "Hunter2!x"),
        new("odbc connection string", "Driver={ODBC Driver 18};Server=db;UID=app;PWD=0dbcPassw0rd;", "0dbcPassw0rd"),
        new("quoted password with spaces", "password='correct horse battery staple'", "correct horse battery staple", "battery staple"),
        new("json password", "{\"user\": \"mlflow\", \"password\": \"p@ss w0rd!\"}", "p@ss w0rd!"),
        new("yaml password", "database:\n  user: mlflow\n  password: S3cure!Pass\n  host: db", "S3cure!Pass"),
        new("dotenv password", "DB_PASSWORD=Env0nlyPw9", "Env0nlyPw9"),
        new("java properties password", "spring.datasource.password=Spr1ngPw!", "Spr1ngPw!"),
        new("php array password", "'password' => 'Php4rrayPw'", "Php4rrayPw"),
        new("xml password", "<server><id>nexus</id><password>Xm1Passw0rd</password></server>", "Xm1Passw0rd"),
        new("xml sts secret", "<SecretAccessKey>9drTJvcXLB89EXAMPLELB8923FB892xMFI</SecretAccessKey>", "9drTJvcXLB89EXAMPLELB8923FB892xMFI"),
        new("markdown bold label with code span", "**Neo4j Password**: `n3o4jGraphPw`", "n3o4jGraphPw"),
        new("markdown list label with code span", "- Admin password: `Adm1n Pw With Spaces`", "Adm1n Pw With Spaces"),
        new("markdown bold label plain value", "**Secret:** Pl4inB0ldSecret", "Pl4inB0ldSecret"),
        new("client secret keyed", "client_secret: Cl13ntS3cr3tVal", "Cl13ntS3cr3tVal"),
        new("api key in a query string", "GET /v1/models?api_key=Qs4piKey77abc&limit=10", "Qs4piKey77abc"),
        new("api key header", "X-API-Key: HdrApiKey5521x", "HdrApiKey5521x"),
        new("password flag", "psql-wrapper --password Fl4gPassw0rd --host db", "Fl4gPassw0rd"),
        new("mysql -p", "mysql -u root -pMyR00tPw mlflow", "MyR00tPw"),
        new("curl -u", "curl -u admin:CurlUs3rPw https://registry.internal/v2/", "CurlUs3rPw"),
        new("sshpass", "sshpass -p 'SshP4ssPw' ssh ops@bastion", "SshP4ssPw"),
        new("age secret key", "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP", "QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP"),
        new("sentry token", "SENTRY sntrys_eyJpYXQiOjE3MDAwMDAwMDAuMCwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8ifQ", "eyJpYXQiOjE3MDAwMDAwMDAuMCwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8ifQ"),
        new("supabase token", "sbp_0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567"),
        new("rsa private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq7BFUAsJ2yYFmWvdRsaPrivKeyLineOne\nQ29tcGxldGVseUZha2VLZXlMaW5lVHdvMTIzNDU2Nzg5\n-----END RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAq7BFUAsJ2yYFmWvdRsaPrivKeyLineOne", "Q29tcGxldGVseUZha2VLZXlMaW5lVHdvMTIzNDU2Nzg5"),
        new("openssh private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz"),
        new("private key without END line", "deploy key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBexampleTruncatedEcKeyBodyLine0123456789\nAwEHoUQDQgAEexampleSecondLineOfTheKeyAbCdEf\n\nthe rest was cut off",
            "MHcCAQEEIBexampleTruncatedEcKeyBodyLine0123456789", "AwEHoUQDQgAEexampleSecondLineOfTheKeyAbCdEf"),
        new("private key in a json string", "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCexampleJsonKey\\n-----END PRIVATE KEY-----\\n\"}",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCexampleJsonKey"),
        new("private key on one line", "KEY=\"-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0OneLineKeyExample0123 AbCdEfGhIjKlMnOp0123456789\"",
            "MIIEvQIBADANBgkqhkiG9w0OneLineKeyExample0123", "AbCdEfGhIjKlMnOp0123456789"),
    ];

    /// <summary>Everyday sentences that use the words the patterns look for; they must come back unchanged.</summary>
    public static IReadOnlyList<string> OrdinaryText { get; } =
    [
        "The outage exposed a gap in our basic protective mechanisms.",
        "Basic authentication was disabled on the admin console last year.",
        "The basic plan covers three environments and a staging database.",
        "We rotated the key after the incident, as the runbook says.",
        "The key takeaway: deploys need a health check before traffic shifts.",
        "The secret to a calm incident call is a clear incident commander.",
        "She was the bearer of bad news at the 9:00 stand-up.",
        "Bearer bonds are a poor analogy for session cookies.",
        "Bearer authentication is the default for service accounts.",
        "Bearer tokens are checked by the gateway before the request reaches the API.",
        "Each request consumes one token from the rate limiter's bucket.",
        "A token of thanks to the on-call engineers who stayed late.",
        "Token expiry was set to 15 minutes, which logged users out mid-task.",
        "Password resets were delayed because the mail queue backed up.",
        "Reset your password: open the link we emailed you.",
        "The password policy requires twelve characters and a symbol.",
        "The passwordless login flow was not affected.",
        "FATAL: password authentication failed for user \"mlflow\"",
        "API key required",
        "The API key: rotated on Monday by the platform team.",
        "Keys in the cache expired after 300 seconds.",
        "Primary key violation on table model_versions after the migration.",
        "Secret Manager rotation ran at 02:00 UTC and succeeded.",
        "The credentials were fine; the IAM policy was the problem.",
        "Access denied for secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        "actions/checkout@v4 failed to fetch the repository.",
        "Pulled docker.io/library/python@sha256:4f1d2e3c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f7e6d",
        "Commit 08f0380d3e657ac3512c403fa3f7d4e09bff6d2e introduced the syntax error.",
        "The risk-assessment-2025-08-18-registry-outage-review document was updated.",
        "Authorization: required for every /api route since the 2.0 release.",
        "mysql -u mlflow -p mlflow_db prompted for a password, as expected.",
        "Use curl -v https://registry.hokus.ai/health to see the TLS handshake.",
        "See https://docs.example.com/auth#tokens for how keys are issued.",
        "dana@example.com reported the 504 at 09:20 and paged the secondary.",
        "nextToken: f/3781234/AAAA",
        "password_reset_enabled: true",
        "SSH keys: managed by the platform team since March.",
        "WARNING: Connection to 10.0.3.219 timed out. (connect timeout=120)",
    ];
}
