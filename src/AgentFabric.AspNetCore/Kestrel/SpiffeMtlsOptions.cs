using AgentFabric.Spiffe.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentFabric.AspNetCore;

/// <summary>Settings of a SPIFFE mTLS endpoint.</summary>
public sealed class SpiffeMtlsOptions
{
    /// <summary>Which verified peers may connect. Null (the default) allows members of this workload's own trust
    /// domain, read from the current SVID at each handshake.</summary>
    public ISpiffeAuthorizer? Authorizer { get; set; }

    /// <summary>The HTTP versions offered through ALPN; HTTP/1.1 and HTTP/2 by default.</summary>
    public HttpProtocols Protocols { get; set; } = HttpProtocols.Http1AndHttp2;
}
