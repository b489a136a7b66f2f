using System.Text;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Long chains of rules (or functions) each using the next: compiling and evaluating them never overflows
/// the stack (which would end the process). A chain deeper than the thread's stack allows fails closed with an
/// evaluation error; a chain that fits evaluates. Each case runs on a thread with a 1 MB stack, smaller than the
/// main thread's or a thread-pool thread's, so the guard is the stack check and not the luck of a big stack.</summary>
public class RuleChainDepthTests
{
    private const int SmallStack = 1024 * 1024;

    private static readonly RegoEngine Engine = new();

    // r0 := r1 + 0, r1 := r2 + 0, ..., r{n} := 1.
    private static string RuleChain(int length)
    {
        var sb = new StringBuilder("package t\n\n");
        for (var i = 0; i < length; i++)
        {
            sb.Append("r").Append(i).Append(" := r").Append(i + 1).Append(" + 0\n");
        }

        return sb.Append("r").Append(length).Append(" := 1\n").ToString();
    }

    // f0(x) := f1(x) + 0, ..., f{n}(x) := x; r := f0(1).
    private static string FunctionChain(int length)
    {
        var sb = new StringBuilder("package t\n\nr0 := f0(1)\n\n");
        for (var i = 0; i < length; i++)
        {
            sb.Append("f").Append(i).Append("(x) := f").Append(i + 1).Append("(x) + 0\n");
        }

        return sb.Append("f").Append(length).Append("(x) := x\n").ToString();
    }

    private static string Outcome(string policy)
    {
        string? outcome = null;
        Exception? unexpected = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", policy)]), "data.t.r0");
                    outcome = "value: " + query.Evaluate(ObjectValue.Empty).Value;
                }
                catch (RegoEvaluationException e)
                {
                    outcome = "error: " + e.Message;
                }
                catch (Exception e)
                {
                    unexpected = e;
                }
            },
            SmallStack);
        thread.Start();
        thread.Join();
        Assert.Null(unexpected);
        return outcome!;
    }

    public static TheoryData<string, int> DeepChains => new()
    {
        { "rules", 3_000 },
        { "rules", 20_000 },
        { "functions", 3_000 },
        { "functions", 20_000 },
    };

    [Theory]
    [MemberData(nameof(DeepChains))]
    public void AChainDeeperThanTheStackFailsClosed(string kind, int length)
    {
        var policy = kind == "rules" ? RuleChain(length) : FunctionChain(length);

        Assert.Equal(
            "error: eval_internal_error: evaluation exceeded the maximum depth of nested rule and function calls (stack)",
            Outcome(policy));
    }

    [Theory]
    [InlineData("rules")]
    [InlineData("functions")]
    public void AChainThatFitsEvaluates(string kind)
    {
        var policy = kind == "rules" ? RuleChain(100) : FunctionChain(100);

        Assert.Equal("value: 1", Outcome(policy));
    }
}
