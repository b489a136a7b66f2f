using System.Reflection;
using Xunit.Sdk;

namespace AgentFabric.Server.Tests.Datastore;

/// <summary>Adds the "postgres" row to a datastore theory; skipped, saying why, when test.sh did not start a
/// PostgreSQL cluster (AGENTFABRIC_TEST_POSTGRES unset).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public const string Variable = "AGENTFABRIC_TEST_POSTGRES";

    public override string? Skip
    {
        get => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))
            ? $"PostgreSQL skipped: {Variable} is not set (test.sh starts a throwaway cluster and sets it)"
            : null;
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgres"]];
}
