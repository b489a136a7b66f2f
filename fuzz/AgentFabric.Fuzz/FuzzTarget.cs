namespace AgentFabric.Fuzz;

/// <summary>One parser under fuzzing. <see cref="Run"/> feeds it an input, catches only the exceptions the parser
/// documents, and returns the outcome ("ok" or the error's text); any other exception escapes and is a finding.</summary>
/// <param name="Name">The name on the command line and the corpus directory's name.</param>
/// <param name="Dictionary">Tokens of the input language the mutator inserts (brackets, keywords, field names).</param>
/// <param name="Seeds">Valid inputs to start from when the corpus is empty.</param>
/// <param name="Run">Parses one input; returns its outcome.</param>
public sealed record FuzzTarget(
    string Name,
    IReadOnlyList<string> Dictionary,
    Func<IEnumerable<byte[]>> Seeds,
    Func<byte[], string> Run);

/// <summary>A parser broke one of its own promises (Try* and the throwing form disagree, a round trip changed the
/// value): a finding like an undocumented exception.</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>A broken promise, described.</summary>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>A broken promise with no description (prefer the other constructor).</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>A broken promise found while handling another exception.</summary>
    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
