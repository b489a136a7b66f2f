namespace AgentFabric.Server.Registration;

/// <summary>The selector types the server accepts: those of the workload and node attestors SPIRE ships (seed 003
/// names docker, k8s, unix) plus <c>spiffe_id</c> for node aliases. An unknown type is refused so that a typo never
/// yields an entry that can never match.</summary>
public static class SelectorTypes
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "unix", "k8s", "docker", "systemd", "windows", "spiffe_id", "join_token", "k8s_psat", "k8s_sat",
        "x509pop", "sshpop", "tpm", "aws_iid", "gcp_iit", "azure_msi", "azure_imds", "http_challenge",
    };
}
