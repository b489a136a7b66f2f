using System.CommandLine;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;

namespace AgentFabric.Cli.Policy;

/// <summary><c>agentfabric policy</c>: evaluate, test and benchmark Rego policies with the embedded engine.</summary>
internal static class PolicyCommand
{
    /// <summary>As <c>opa</c>: the message alone, exit code 1; a parse, compile or evaluation error reads as
    /// <see cref="Describe(RegoException)"/>.</summary>
    internal static readonly ErrorStyle Errors = new(string.Empty, e => e is RegoException r ? Describe(r) : null);

    public static Command Create()
    {
        var command = new Command("policy", "Evaluate, test and benchmark Rego policies (OPA 1.x semantics).");
        command.Subcommands.Add(PolicyEvalCommand.Create());
        command.Subcommands.Add(PolicyTestCommand.Create());
        command.Subcommands.Add(PolicyBenchCommand.Create());
        command.Subcommands.Add(PolicyServeCommand.Create());
        return command;
    }

    internal static Option<string[]> DataOption() => new("--data", "-d")
    {
        Description = "A policy or data file, or a directory of them (repeatable).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    internal static Option<string[]> BundleOption() => new("--bundle", "-b")
    {
        Description = "An OPA bundle: a directory or .tar.gz with .rego files, data.json/data.yaml files and an optional .manifest (repeatable).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    internal static Option<string?> InputOption() => new("--input", "-i")
    {
        Description = "The input document (a JSON file, or YAML by its .yaml/.yml extension).",
    };

    internal static Option<bool> V0Option() => new("--v0-compatible")
    {
        Description = "Parse modules as Rego v0 (OPA 0.x syntax).",
    };

    internal static Option<bool> StrictOption() => new("--strict", "-S")
    {
        Description = "Enable the compiler's strict mode (as opa check --strict): unused imports, local assignments and function arguments, and deprecated builtins are errors.",
    };

    /// <summary>OPA's error text with the column: <c>file:line:col: code: reason</c>; several compile errors are
    /// listed one per line after OPA's <c>N errors occurred:</c>.</summary>
    internal static string Describe(RegoException e) => e is RegoCompileException { Errors.Count: > 1 } c
        ? $"{c.Errors.Count} errors occurred:\n{string.Join('\n', c.Errors.Select(x => Describe(x.Code, x.Reason, x.Location)))}"
        : Describe(e.Code, e.Reason, e.Location);

    private static string Describe(string code, string reason, Location? location) =>
        location is { } l ? $"{l.File}:{l.Line}:{l.Column}: {code}: {reason}" : $"{code}: {reason}";

    internal static (RegoEngine Engine, CompiledPolicy Policy) Compile(
        string[]? paths, bool v0, bool strict = false, string[]? bundles = null, Action<string>? print = null)
    {
        var files = PolicyFiles.Load(paths ?? [], v0 ? RegoVersion.V0 : RegoVersion.V1, bundles);
        var engine = new RegoEngine(new RegoEngineOptions { Limits = EvaluationLimits.None, Strict = strict, Print = print });
        return (engine, engine.Compile(files.Modules, files.Data));
    }
}
