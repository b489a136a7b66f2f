namespace AgentFabric.Authorization.Tests.Decisions;

/// <summary>One table of (path, input, expected result) evaluated by every PDP: the embedded and the remote one must
/// give the same answers. Expected results are compact JSON, null for undefined.</summary>
public static class DecisionTable
{
    private const string Frontend = "spiffe://example.org/ns/ui/sa/frontend";
    private const string Researcher = "spiffe://example.org/ns/agents/sa/researcher";
    private const string Writer = "spiffe://example.org/ns/agents/sa/writer";

    public static TheoryData<string, string, string?> Rows => new()
    {
        { "agentfabric/examples/research/allow", Call(Frontend, Researcher), "true" },
        { "agentfabric/examples/research/allow", Call(Researcher, Writer), "true" },
        { "agentfabric/examples/research/allow", Call(Frontend, Writer), "false" },
        { "agentfabric/examples/research/allow", Call(Writer, Researcher), "false" },
        {
            "agentfabric/examples/research/allow",
            $$$"""{"caller":{"spiffe_id":"{{{Researcher}}}"},"user":{"sub":"alice","scopes":["report"]},"delegation":[{"spiffe_id":"{{{Researcher}}}","scopes":["report"]},{"spiffe_id":"{{{Frontend}}}","scopes":["report","search"]}],"resource":{"type":"agent","id":"{{{Writer}}}"}}""",
            "true"
        },
        {
            "agentfabric/examples/research/allow",
            $$$"""{"caller":{"spiffe_id":"{{{Researcher}}}"},"user":{"sub":"alice","scopes":["admin"]},"delegation":[{"spiffe_id":"{{{Researcher}}}","scopes":["report"]},{"spiffe_id":"{{{Frontend}}}","scopes":["report","search"]}],"resource":{"type":"agent","id":"{{{Writer}}}"}}""",
            "false"
        },
        { "agentfabric/examples/research/reasons", Call(Frontend, Writer), """["caller not allowed"]""" },
        { "values/object_result", """{"ok":true}""", """{"allowed":true,"headers":{"x-reason":"test"}}""" },
        { "values/doubled", """{"n":21}""", "42" },
        { "values/doubled", """{"n":"x"}""", null },
        { "values/undefined_rule", "{}", null },
        { "values/no_such_rule", "{}", null },
    };

    private static string Call(string caller, string callee) =>
        $$$"""{"caller":{"spiffe_id":"{{{caller}}}","trust_domain":"example.org"},"delegation":[],"action":"invoke","resource":{"type":"agent","id":"{{{callee}}}"}}""";
}
