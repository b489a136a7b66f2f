using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Tests;

/// <summary>The two result renderings: proto3 JSON for <c>-output json</c>, plain-text tables for people.</summary>
public sealed class CliConsoleTests
{
    [Fact]
    public void WriteJson_IsIndentedProto3JsonWithDefaultValues()
    {
        var output = new StringWriter();
        new CliConsole(output, TextWriter.Null).WriteJson(new JoinToken { Value = "t-1" });

        Assert.Equal("{\n  \"value\": \"t-1\",\n  \"expiresAt\": \"0\"\n}\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void WriteTable_HasRoundedBordersAndShowsCellsAsWritten()
    {
        var output = new StringWriter();
        var table = CliTable.Create("Field", "Value").AddTextRow("Selector", "unix:uid:[0]");
        new CliConsole(output, TextWriter.Null).WriteTable(table);

        Assert.Equal(
            """
            ╭──────────┬──────────────╮
            │ Field    │ Value        │
            ├──────────┼──────────────┤
            │ Selector │ unix:uid:[0] │
            ╰──────────┴──────────────╯

            """,
            output.ToString().ReplaceLineEndings("\n"));
    }
}
