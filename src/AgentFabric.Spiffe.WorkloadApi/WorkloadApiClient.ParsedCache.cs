using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Google.Protobuf;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// The X.509-SVIDs and bundle certificates of recent responses, parsed once and keyed by their exact bytes. An agent
/// sends the same bytes until an SVID rotates or a bundle changes, and parsing them (certificate decoding, PKCS#8
/// import, key check) is most of what a warm fetch costs a client: re-parsing identical bytes would give the same
/// objects. <see cref="X509Svid"/> is immutable, so one instance serves every result that carries it; bundles are
/// mutable, so each result gets a new <see cref="X509Bundle"/> over the shared certificates. Holds at most
/// <see cref="Capacity"/> SVIDs and as many bundles, least recently used out first.
/// </summary>
internal sealed class ParsedCache
{
    public const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly LinkedList<(ByteString Chain, ByteString Key, X509Svid Svid)> _svids = new();
    private readonly LinkedList<(ByteString Der, X509Certificate2[] Authorities)> _bundles = new();

    /// <summary>The SVID parsed from exactly these bytes, parsing them on a miss.</summary>
    public bool TryGetSvid(
        ByteString chain,
        ByteString key,
        [NotNullWhen(true)] out X509Svid? svid,
        [NotNullWhen(false)] out string? error)
    {
        lock (_gate)
        {
            for (var node = _svids.First; node is not null; node = node.Next)
            {
                if (node.Value.Chain.Equals(chain) && node.Value.Key.Equals(key))
                {
                    MoveToFront(_svids, node);
                    (svid, error) = (node.Value.Svid, null);
                    return true;
                }
            }
        }

        if (!X509Svid.TryParseRaw(chain.Span, key.Span, out svid, out error))
        {
            return false;
        }

        lock (_gate)
        {
            Add(_svids, (chain, key, svid));
        }

        return true;
    }

    /// <summary>A new bundle of <paramref name="trustDomain"/> over the certificates of exactly these bytes.</summary>
    public bool TryGetBundle(
        TrustDomain trustDomain,
        ByteString der,
        [NotNullWhen(true)] out X509Bundle? bundle,
        [NotNullWhen(false)] out string? error)
    {
        lock (_gate)
        {
            for (var node = _bundles.First; node is not null; node = node.Next)
            {
                if (node.Value.Der.Equals(der))
                {
                    MoveToFront(_bundles, node);
                    (bundle, error) = (new X509Bundle(trustDomain, node.Value.Authorities), null);
                    return true;
                }
            }
        }

        if (!X509Bundle.TryFromDer(trustDomain, der.Span, out bundle, out error))
        {
            return false;
        }

        lock (_gate)
        {
            Add(_bundles, (der, [.. bundle.Authorities]));
        }

        return true;
    }

    private static void MoveToFront<T>(LinkedList<T> list, LinkedListNode<T> node)
    {
        if (node != list.First)
        {
            list.Remove(node);
            list.AddFirst(node);
        }
    }

    private static void Add<T>(LinkedList<T> list, T item)
    {
        list.AddFirst(item);
        while (list.Count > Capacity)
        {
            list.RemoveLast();
        }
    }
}
