namespace AgentFabric.Rego;

public static partial class BuiltinCatalog
{
    static partial void RegisterAws(BuiltinRegistry r)
    {
        var stringKeyed = RegoType.ObjectOf(RegoType.String, RegoType.Any);
        r.Register("providers.aws.sign_req", [stringKeyed, stringKeyed, RegoType.Number], RegoType.ObjectOf(RegoType.Any, RegoType.Any), AwsSignatureV4.SignRequest);
    }
}
