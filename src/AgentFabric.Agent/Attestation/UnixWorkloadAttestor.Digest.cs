using System.Security.Cryptography;

namespace AgentFabric.Agent.Attestation;

/// <summary>The <c>unix:sha256</c> digest of the caller's executable, hashed once per file identity.</summary>
public sealed partial class UnixWorkloadAttestor
{
    /// <summary>
    /// File times move in coarse kernel ticks: a file changed again within the tick of its last change keeps its ctime.
    /// A digest is only cached once the file has been left alone this long, so a same-tick rewrite cannot hide behind
    /// a cached digest (the "racy" case git guards the same way).
    /// </summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    private readonly AttestationCache<ExecutableIdentity, string> _digests;

    /// <summary>The digest, and whether it may be cached (the file hashed is the one identified, and settled).</summary>
    private async Task<(string Digest, bool Settled)> DigestAsync(
        int pid,
        string path,
        ExecutableIdentity? executable,
        CancellationToken cancellationToken)
    {
        if (executable is { } known && _digests.TryGet(known, out var cached))
        {
            return (cached, true);
        }

        await using var stream = _processes.OpenExecutable(pid);
        var before = stream is FileStream file ? ExecutableIdentity.TryRead(file.SafeFileHandle) : null;
        if (stream.CanSeek && stream.Length > _options.MaxDigestBytes)
        {
            throw new WorkloadAttestationException(
                $"unix attestor: executable {path} is {stream.Length} bytes, over the digest limit of {_options.MaxDigestBytes}");
        }

        byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        string digest = Convert.ToHexStringLower(hash);
        var after = stream is FileStream same ? ExecutableIdentity.TryRead(same.SafeFileHandle) : null;

        // Cached only when the file did not change while it was read, is the file the key was taken from, and has
        // settled; otherwise this answer stands for this call alone.
        bool settled = before is { } identity && identity == after && identity == executable &&
                       _options.TimeProvider.GetUtcNow() - identity.Changed >= SettleTime;
        if (settled)
        {
            _digests.Set(before!.Value, digest);
        }

        return (digest, settled);
    }
}
