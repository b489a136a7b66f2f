using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Attestation;

/// <summary>An HttpClient whose connections go to a Unix domain socket (the Docker Engine API, a local kubelet proxy).</summary>
internal static class UnixSocketHttp
{
    public static HttpClient Create(string socketPath, TimeSpan timeout) =>
        new(UnixSocketConnector.CreateHandler(socketPath))
        {
            BaseAddress = new Uri("http://localhost/"),
            Timeout = timeout,
        };
}
