namespace Hokusai.Incidents.Aws;

/// <summary>
/// An AWS error the user has to act on (access denied, missing group or cluster, expired credentials).
/// The message is one line naming the resource and the AWS error code.
/// </summary>
public sealed class AwsException : IncidentsException
{
    public AwsException(string message, string code, int httpStatus = 0, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Code = code;
        HttpStatus = httpStatus;
    }

    /// <summary>The AWS error code (<c>__type</c> without its namespace), e.g. AccessDeniedException.</summary>
    public string Code { get; }

    public int HttpStatus { get; }

    /// <summary>For a request given up at --max-wait: how long it had been failing.</summary>
    public TimeSpan? GaveUpAfter { get; init; }

    public override int ExitCode => 5;

    /// <summary>The same error, re-worded to name the resource the request was about.</summary>
    public AwsException About(string resource) =>
        new($"{resource}: {Code}{(AwsErrorText(Message) is { Length: > 0 } m ? ": " + m : "")}", Code, HttpStatus, this) { GaveUpAfter = GaveUpAfter };

    private static string AwsErrorText(string message)
    {
        // Messages built by the client are "<Code>: <text>"; keep only the text.
        var i = message.IndexOf(": ", StringComparison.Ordinal);
        return i >= 0 ? message[(i + 2)..] : message;
    }
}
