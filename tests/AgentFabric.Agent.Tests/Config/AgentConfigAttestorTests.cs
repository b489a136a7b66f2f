using System.Collections;
using AgentFabric.Agent.Config;

namespace AgentFabric.Agent.Tests.Config;

/// <summary><c>"workload_attestors"</c>: SPIRE's WorkloadAttestor plugins (unix, docker, k8s) with their option names.</summary>
public class AgentConfigAttestorTests
{
    private const string Base = "\"trust_domain\":\"td\",\"server_address\":\"a\",\"server_port\":1,\"socket_path\":\"/s\",\"data_dir\":\"d\"";

    private static AgentConfig Load(string attestors, IDictionary? environment = null) =>
        AgentConfig.Load("{" + Base + (attestors.Length == 0 ? "" : ",\"workload_attestors\":" + attestors) + "}", environment ?? new Hashtable());

    [Fact]
    public void NoSection_UnixOnly() =>
        Assert.Equal([new UnixAttestorSettings()], Load("").WorkloadAttestors);

    [Fact]
    public void AllThree_WithSpireOptionNames()
    {
        var c = Load("""
            { "unix": {}, "docker": { "docker_socket_path": "unix:///run/docker.sock" }, "k8s": { "kubelet_read_only_port": 10255 } }
            """);
        Assert.Equal<WorkloadAttestorSettings>(
            [new UnixAttestorSettings(), new DockerAttestorSettings("/run/docker.sock"), new KubernetesAttestorSettings(10255, null)],
            c.WorkloadAttestors);
    }

    [Fact]
    public void DockerDefaults_AndPathsWithoutScheme()
    {
        Assert.Equal([new DockerAttestorSettings("/var/run/docker.sock")], Load("""{ "docker": {} }""").WorkloadAttestors);
        Assert.Equal(
            [new KubernetesAttestorSettings(null, "/run/kubelet-proxy.sock")],
            Load("""{ "k8s": { "kubelet_socket_path": "/run/kubelet-proxy.sock" } }""").WorkloadAttestors);
    }

    [Fact]
    public void EnvironmentAddsAttestors_BesideTheDefaultUnix()
    {
        var env = new Hashtable
        {
            ["AGENTFABRIC_AGENT_WORKLOAD_ATTESTORS__DOCKER__DOCKER_SOCKET_PATH"] = "unix:///env/docker.sock",
            ["AGENTFABRIC_AGENT_WORKLOAD_ATTESTORS__K8S__KUBELET_READ_ONLY_PORT"] = "10266",
        };
        Assert.Equal<WorkloadAttestorSettings>(
            [new UnixAttestorSettings(), new DockerAttestorSettings("/env/docker.sock"), new KubernetesAttestorSettings(10266, null)],
            Load("", env).WorkloadAttestors);
    }

    [Fact]
    public void EnvironmentOverridesAFileOption()
    {
        var env = new Hashtable { ["AGENTFABRIC_AGENT_WORKLOAD_ATTESTORS__DOCKER__DOCKER_SOCKET_PATH"] = "/other.sock" };
        Assert.Equal(
            [new DockerAttestorSettings("/other.sock")],
            Load("""{ "docker": { "docker_socket_path": "unix:///var/run/docker.sock" } }""", env).WorkloadAttestors);
    }

    [Theory]
    [InlineData("[]", "workload_attestors must be a JSON object from attestor names (unix, docker, k8s) to their options")]
    [InlineData("{}", "workload_attestors enables no attestor: name at least one of unix, docker, k8s")]
    [InlineData("""{"systemd":{}}""", "workload_attestors: unknown attestor \"systemd\" (known: unix, docker, k8s)")]
    [InlineData("""{"Docker":{}}""", "workload_attestors: unknown attestor \"Docker\" (known: unix, docker, k8s)")]
    [InlineData("""{"docker":true}""", "workload_attestors.docker must be a JSON object of options ({} for none)")]
    [InlineData("""{"unix":{"discover_workload_path":true}}""", "workload_attestors.unix: unknown option \"discover_workload_path\" (supported: none)")]
    [InlineData("""{"docker":{"docker_version":"1.43"}}""", "workload_attestors.docker: unknown option \"docker_version\" (supported: docker_socket_path)")]
    [InlineData("""{"docker":{"docker_socket_path":"tcp://127.0.0.1:2375"}}""", "workload_attestors.docker.docker_socket_path \"tcp://127.0.0.1:2375\" is not a Unix socket: write unix:///absolute/path or /absolute/path")]
    [InlineData("""{"docker":{"docker_socket_path":"unix://run/docker.sock"}}""", "workload_attestors.docker.docker_socket_path \"unix://run/docker.sock\" is not a Unix socket: write unix:///absolute/path or /absolute/path")]
    [InlineData("""{"docker":{"docker_socket_path":"docker.sock"}}""", "workload_attestors.docker.docker_socket_path \"docker.sock\" is not a Unix socket: write unix:///absolute/path or /absolute/path")]
    [InlineData("""{"k8s":{}}""", "workload_attestors.k8s needs kubelet_read_only_port or kubelet_socket_path")]
    [InlineData("""{"k8s":{"kubelet_read_only_port":10255,"kubelet_socket_path":"/k.sock"}}""", "workload_attestors.k8s: kubelet_read_only_port and kubelet_socket_path exclude each other")]
    [InlineData("""{"k8s":{"kubelet_read_only_port":"0"}}""", "workload_attestors.k8s.kubelet_read_only_port \"0\" is not a port number (1-65535)")]
    [InlineData("""{"k8s":{"kubelet_read_only_port":"ten"}}""", "workload_attestors.k8s.kubelet_read_only_port \"ten\" is not a port number (1-65535)")]
    [InlineData("""{"k8s":{"kubelet_secure_port":10250}}""", "workload_attestors.k8s.kubelet_secure_port is not supported: reach the kubelet through kubelet_read_only_port or a local proxy at kubelet_socket_path")]
    [InlineData("""{"k8s":{"kubelet_read_only_port":10255,"token_path":"/t"}}""", "workload_attestors.k8s.token_path is not supported: reach the kubelet through kubelet_read_only_port or a local proxy at kubelet_socket_path")]
    [InlineData("""{"k8s":{"kubelet_socket_path":"/k.sock","pod_uid":"x"}}""", "workload_attestors.k8s: unknown option \"pod_uid\" (supported: kubelet_read_only_port, kubelet_socket_path)")]
    public void BadAttestorConfig_IsRefusedWithASpecificMessage(string attestors, string expected) =>
        Assert.Equal(expected, Assert.Throws<AgentConfigException>(() => Load(attestors)).Message);

    [Fact]
    public void SocketPathLongerThanSunPath_IsRefused()
    {
        string path = "/" + new string('s', 107);
        var e = Assert.Throws<AgentConfigException>(() => Load("{\"docker\":{\"docker_socket_path\":\"unix://" + path + "\"}}"));
        Assert.Equal($"workload_attestors.docker.docker_socket_path \"unix://{path}\" is longer than a Unix socket path may be (107 bytes)", e.Message);
        Assert.Equal([new DockerAttestorSettings(path[..107])], Load("{\"docker\":{\"docker_socket_path\":\"" + path[..107] + "\"}}").WorkloadAttestors);
    }

    [Fact]
    public void SpirePluginsBlock_IsPointedToTheJsonSection()
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentConfig.Load(
            "{\"agent\":{" + Base + "},\"plugins\":{\"WorkloadAttestor\":[{\"docker\":{\"plugin_data\":{}}}]}}", new Hashtable()));
        Assert.Equal(
            "plugins: write workload attestors as \"workload_attestors\": {\"unix\": {}, \"docker\": {\"docker_socket_path\": \"unix:///var/run/docker.sock\"}} inside \"agent\"",
            e.Message);
    }
}
