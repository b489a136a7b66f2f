namespace AgentFabric.Agent.Attestation;

/// <summary>The caller as the kernel reported it for the socket (SO_PEERCRED), never as the caller claims.</summary>
public readonly record struct WorkloadProcess(int Pid, int Uid, int Gid);
