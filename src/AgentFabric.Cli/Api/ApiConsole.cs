namespace AgentFabric.Cli.Api;

/// <summary>Where the api commands write: standard output for results, standard error for failures.</summary>
internal sealed record ApiConsole(TextWriter Out, TextWriter Error);
