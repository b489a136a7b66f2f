using AgentFabric.Rego.Builtins.Encodings;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego;

/// <summary>YAML documents as Rego values, read as OPA reads YAML data files and <c>yaml.unmarshal</c> (YAML 1.1
/// scalars, the first document only, non-string keys turned into strings).</summary>
public static class RegoYaml
{
    /// <summary>Parses YAML text; throws <see cref="RegoYamlException"/> with the position of the problem.</summary>
    public static Value Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return EncodingYaml.Unmarshal(text);
        }
        catch (EncodingYamlException e)
        {
            throw new RegoYamlException(e.Message, (int)e.Line, (int)e.Column);
        }
    }
}

/// <summary>YAML text that is not a document OPA can read.</summary>
public sealed class RegoYamlException : FormatException
{
    /// <summary>A YAML error at a 1-based line and column (0 when not known).</summary>
    public RegoYamlException(string message, int line, int column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>The 1-based line of the problem; 0 when not known.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem; 0 when not known.</summary>
    public int Column { get; }
}
