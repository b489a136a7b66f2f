namespace AgentFabric.Cli;

/// <summary>A command cannot do what it was asked: a bad option value, a missing or unreadable file, a refusal. The
/// command's <see cref="ErrorStyle"/> prints the message on standard error and the command exits with
/// <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exitCode, 1);
        ExitCode = exitCode;
    }

    /// <summary>The process exit code: 1 unless the command documents another.</summary>
    public int ExitCode { get; } = 1;
}
