using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.DecisionLogs;

/// <summary>OPA docs, "Masking Sensitive Data".</summary>
public sealed class DecisionLogMaskerTests
{
    private static DecisionLogEvent Event(string input, string? result = "true") => new()
    {
        DecisionId = "d-1",
        Path = "authz/allow",
        Input = Value.ParseJson(input),
        Result = result is null ? null : Value.ParseJson(result),
        Timestamp = new DateTimeOffset(2019, 6, 3, 20, 7, 16, TimeSpan.Zero).AddTicks(9_394_021),
    };

    private static DecisionLogMasker Masker(string rego)
    {
        var activator = new BundleActivator(new RegoEngine());
        var result = activator.Activate(PolicyBundle.Load("mask", BundleBuilder.Files(("/system/log/mask.rego", rego))));
        Assert.True(result.Succeeded, result.Error?.Message);
        return new DecisionLogMasker(activator.Store);
    }

    [Fact]
    public void Erases_pointers_from_the_documented_example()
    {
        var masker = Masker("""
            package system.log

            mask contains "/input/password" if {
            	input.input.resource == "user"
            }

            mask contains "/input/ssn"
            """);

        var masked = masker.Apply(Event("""{"resource":"user","name":"bob","password":"passw0rd"}"""));

        Assert.Equal("""{"decision_id":"d-1","erased":["/input/password"],"input":{"name":"bob","resource":"user"},"labels":{},"path":"authz/allow","result":true,"timestamp":"2019-06-03T20:07:16.9394021Z"}""", masked.ToJson());
    }

    [Fact]
    public void Upserts_and_records_masked()
    {
        var masker = Masker("""
            package system.log

            mask contains {"op": "upsert", "path": "/input/password", "value": "**REDACTED**"} if input.input.password

            mask contains {"op": "upsert", "path": "/input/extra/added", "value": 1}

            mask contains {"op": "remove", "path": "/result/token"}
            """);

        var masked = masker.Apply(Event("""{"password":"p"}""", """{"allow":true,"token":"t"}"""));

        Assert.Equal("""{"extra":{"added":1},"password":"**REDACTED**"}""", masked.Input!.ToJson());
        Assert.Equal("""{"allow":true}""", masked.Result!.ToJson());
        Assert.Equal(["/input/extra/added", "/input/password"], masked.Masked.Order(StringComparer.Ordinal));
        Assert.Equal(["/result/token"], masked.Erased);
    }

    [Theory]
    [InlineData("""["/input/users/0/name"]""", """{"a/b":1,"users":[{},{"name":"b"}]}""", "/input/users/0/name")]
    [InlineData("""["/input/users/1"]""", """{"a/b":1,"users":[{"name":"a"}]}""", "/input/users/1")]
    [InlineData("""["/input/a~1b"]""", """{"users":[{"name":"a"},{"name":"b"}]}""", "/input/a~1b")]
    [InlineData("""["/input/nope/deeper"]""", """{"a/b":1,"users":[{"name":"a"},{"name":"b"}]}""", null)]
    [InlineData("""["/input/users/01"]""", """{"a/b":1,"users":[{"name":"a"},{"name":"b"}]}""", null)]
    [InlineData("""["/decision_id", "input/users"]""", """{"a/b":1,"users":[{"name":"a"},{"name":"b"}]}""", null)]
    public void Pointer_rules(string rules, string expectedInput, string? erased)
    {
        var e = Event("""{"users":[{"name":"a"},{"name":"b"}],"a/b":1}""");

        var masked = DecisionLogMasker.Apply(e, Value.ParseJson(rules));

        Assert.Equal(expectedInput, masked.Input!.ToJson());
        Assert.Equal(erased is null ? [] : [erased], masked.Erased);
    }

    [Fact]
    public void Whole_input_can_be_erased()
    {
        var masked = DecisionLogMasker.Apply(Event("""{"a":1}"""), Value.ParseJson("""["/input"]"""));

        Assert.Null(masked.Input);
        Assert.Equal(["/input"], masked.Erased);
    }

    [Fact]
    public void Failing_mask_policy_erases_input_and_result()
    {
        var masker = Masker("""
            package system.log

            mask := 1 if input.input.x

            mask := 2 if input.input.x
            """);

        var masked = masker.Apply(Event("""{"x":true}"""));

        Assert.Null(masked.Input);
        Assert.Null(masked.Result);
        Assert.Equal(["/input", "/result"], masked.Erased);
    }

    [Fact]
    public void Without_mask_rule_the_event_is_unchanged()
    {
        var e = Event("""{"a":1}""");

        Assert.Same(e, new DecisionLogMasker(new BundleActivator(new RegoEngine()).Store).Apply(e));
    }
}
