namespace AgentFabric.Rego.Builtins.Aws;

internal static class AwsBuiltins
{
    internal static void Register(BuiltinRegistry r)
    {
        var stringKeyed = RegoType.ObjectOf(RegoType.String, RegoType.Any);
        r.Register("providers.aws.sign_req", [stringKeyed, stringKeyed, RegoType.Number], RegoType.ObjectOf(RegoType.Any, RegoType.Any), AwsSignatureV4.SignRequest);
    }
}
