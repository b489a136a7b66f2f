using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tls;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The primary handler of a SPIFFE <see cref="HttpClient"/>: a connection pool per X.509-SVID. Each request asks the
/// live source for the SVID in force; when it has rotated, a new pool presenting the new SVID (full chain) takes the
/// new requests at once and the old pool is retired. A pool's connections never outlive its SVID: their lifetime is
/// capped at the SVID's remaining validity, and a retired pool is disposed once its SVID has expired (the grace lets
/// responses in flight finish). So a long-lived client never presents an expired certificate, whatever the TTL.
/// </summary>
internal sealed class SvidBoundConnectionHandler : HttpMessageHandler
{
    // After its SVID's expiry a retired pool lives this long more, so a response being read is not cut.
    private static readonly TimeSpan s_retiredGrace = TimeSpan.FromSeconds(30);

    private readonly SpiffeSources _sources;
    private readonly ISpiffeAuthorizer _serverAuthorizer;
    private readonly TimeSpan _pooledConnectionLifetime;
    private readonly TimeProvider _time;
    private readonly Lock _swap = new();
    private readonly List<(Pool Pool, ITimer Timer)> _retired = [];
    private Pool? _current;
    private bool _disposed;

    public SvidBoundConnectionHandler(SpiffeSources sources, ISpiffeAuthorizer serverAuthorizer, TimeSpan pooledConnectionLifetime, TimeProvider time)
    {
        _sources = sources;
        _serverAuthorizer = serverAuthorizer;
        _pooledConnectionLifetime = pooledConnectionLifetime;
        _time = time;
    }

    /// <summary>How many pools have been made (one per SVID used).</summary>
    internal int PoolsCreated { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        PoolFor(_sources.X509Svids.GetX509Svid()).Invoker.SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        PoolFor(_sources.X509Svids.GetX509Svid()).Invoker.Send(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_swap)
            {
                _disposed = true;
                _current?.Dispose();
                _current = null;
                foreach (var (pool, timer) in _retired)
                {
                    timer.Dispose();
                    pool.Dispose();
                }

                _retired.Clear();
            }
        }

        base.Dispose(disposing);
    }

    private Pool PoolFor(X509Svid svid)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Presents(svid))
        {
            return current;
        }

        lock (_swap)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _current;
            if (current is not null && current.Presents(svid))
            {
                return current;
            }

            var next = new Pool(svid, CreateHandler(svid));
            PoolsCreated++;
            Volatile.Write(ref _current, next);
            if (current is not null)
            {
                Retire(current);
            }

            return next;
        }
    }

    private SocketsHttpHandler CreateHandler(X509Svid svid)
    {
        var remaining = svid.NotAfter - _time.GetUtcNow();
        return new SocketsHttpHandler
        {
            SslOptions = SpiffeTls.CreateMtlsClientOptions(svid, _sources.X509Bundles, _serverAuthorizer, _time),
            // A connection presents the SVID it was opened with: it must not be reused once that SVID has expired.
            PooledConnectionLifetime = remaining <= TimeSpan.Zero ? TimeSpan.Zero
                : remaining < _pooledConnectionLifetime ? remaining : _pooledConnectionLifetime,
        };
    }

    // Called under _swap. The timer is kept in _retired: an unreferenced timer may be collected before it fires.
    private void Retire(Pool pool)
    {
        var until = pool.NotAfter + s_retiredGrace - _time.GetUtcNow();
        if (until <= TimeSpan.Zero)
        {
            pool.Dispose();
            return;
        }

        var timer = _time.CreateTimer(_ => Dispose(pool), null, until, Timeout.InfiniteTimeSpan);
        _retired.Add((pool, timer));
    }

    private void Dispose(Pool pool)
    {
        lock (_swap)
        {
            var index = _retired.FindIndex(r => ReferenceEquals(r.Pool, pool));
            if (index < 0)
            {
                return; // the handler was disposed meanwhile
            }

            _retired[index].Timer.Dispose();
            _retired.RemoveAt(index);
        }

        pool.Dispose();
    }

    /// <summary>The connections of one SVID.</summary>
    private sealed class Pool(X509Svid svid, SocketsHttpHandler handler) : IDisposable
    {
        public HttpMessageInvoker Invoker { get; } = new(handler, disposeHandler: true);

        public DateTimeOffset NotAfter { get; } = svid.NotAfter;

        // The source hands out the same instance until it rotates; an equal certificate is the same SVID too.
        public bool Presents(X509Svid other) =>
            ReferenceEquals(svid, other) || svid.Leaf.RawDataMemory.Span.SequenceEqual(other.Leaf.RawDataMemory.Span);

        public void Dispose() => Invoker.Dispose();
    }
}
