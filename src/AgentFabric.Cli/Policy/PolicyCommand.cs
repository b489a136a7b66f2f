using System.CommandLine;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy</c>: evaluate, test and benchmark Rego policies with the embedded engine.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Evaluate, test and benchmark Rego policies (OPA 1.x semantics).");
        command.Subcommands.Add(PolicyEvalCommand.Create());
        command.Subcommands.Add(PolicyTestCommand.Create());
        command.Subcommands.Add(PolicyBenchCommand.Create());
        return command;
    }

    internal static Option<string[]> DataOption() => new("--data", "-d")
    {
        Description = "A policy or data file, or a directory of them (repeatable).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    internal static Option<string?> InputOption() => new("--input", "-i")
    {
        Description = "The input document (a JSON file).",
    };

    internal static Option<bool> V0Option() => new("--v0-compatible")
    {
        Description = "Parse modules as Rego v0 (OPA 0.x syntax).",
    };

    internal static Option<bool> StrictOption() => new("--strict", "-S")
    {
        Description = "Enable the compiler's strict mode (as opa check --strict): unused local assignments are errors.",
    };

    /// <summary>Runs a command body, turning the errors a user can cause into a message and exit code 1.</summary>
    internal static int Guard(ParseResult parse, Func<TextWriter, int> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return body(output);
        }
        catch (RegoException e)
        {
            error.WriteLine(Describe(e));
            return 1;
        }
        catch (PolicyCliException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>OPA's error text with the column: <c>file:line:col: code: reason</c>.</summary>
    internal static string Describe(RegoException e) =>
        e.Location is { } l ? $"{l.File}:{l.Line}:{l.Column}: {e.Code}: {e.Reason}" : $"{e.Code}: {e.Reason}";

    internal static (RegoEngine Engine, CompiledPolicy Policy) Compile(string[]? paths, bool v0, bool strict = false)
    {
        var files = PolicyFiles.Load(paths ?? [], v0 ? RegoVersion.V0 : RegoVersion.V1);
        var engine = new RegoEngine(new RegoEngineOptions { Limits = EvaluationLimits.None, Strict = strict });
        return (engine, engine.Compile(files.Modules, files.Data));
    }
}
