namespace Hokusai.Incidents;

/// <summary>
/// A failure the user can act on. Its message is one line that names the input and what is wrong;
/// the CLI prints it without a stack trace.
/// </summary>
public class IncidentsException : Exception
{
    public IncidentsException(string message) : base(message) { }
    public IncidentsException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Process exit code the CLI uses for this failure.</summary>
    public virtual int ExitCode => 1;
}

/// <summary>Bad input: an invalid value, an unknown id, a malformed file.</summary>
public class InvalidInputException : IncidentsException
{
    public InvalidInputException(string message) : base(message) { }
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
    public override int ExitCode => 2;
}

public sealed class NotFoundException(string message) : InvalidInputException(message)
{
    public override int ExitCode => 3;
}

/// <summary>The database cannot be used: not a LiteDB file, unwritable, from a newer schema.</summary>
public sealed class StoreException : IncidentsException
{
    public StoreException(string message) : base(message) { }
    public StoreException(string message, Exception inner) : base(message, inner) { }
    public override int ExitCode => 4;
}
