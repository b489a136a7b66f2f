namespace AgentFabric.Cli.Edge;

/// <summary>Reads a password or client secret from standard input or a file, never from the command line (where
/// it would be in the shell history and in every process listing).</summary>
internal static class SecretInput
{
    /// <summary>The secret: the first line of standard input (<paramref name="fromStdin"/>) or of
    /// <paramref name="file"/>, without its line ending. Throws <see cref="CliException"/> when neither or both
    /// are given, or the secret is empty.</summary>
    public static string Read(string what, string stdinFlag, string fileFlag, bool fromStdin, string? file, TextReader stdin)
    {
        if (fromStdin == (file is not null))
        {
            throw new CliException($"give the {what} with exactly one of {stdinFlag} or {fileFlag}");
        }

        string? line;
        if (fromStdin)
        {
            line = stdin.ReadLine();
        }
        else
        {
            try
            {
                using var reader = new StreamReader(file!);
                line = reader.ReadLine();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{fileFlag} {file}: {e.Message}", e);
            }
        }

        if (string.IsNullOrEmpty(line))
        {
            throw new CliException($"the {what} is empty");
        }

        return line;
    }
}
