using System.Net;
using System.Text;
using System.Text.Json;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.AspNetCore.Tests;

/// <summary><c>RequireSpiffeId</c>, <c>RequireTrustDomain</c> and the Rego requirement on a real Kestrel workload with
/// the embedded PDP: who gets through, and the exact RFC 9457 403 body of each denial (a decision id for a policy
/// denial, nothing of the policy).</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private const string Policy = """
        package test.authz

        default allow := false

        allow if {
            input.caller.spiffe_id == "spiffe://example.org/agents/frontend"
            input.action == "GET /reports/{id}"
            input.resource.id == "spiffe://example.org/agents/writer"
            input.request.headers["x-request-id"] == "r-1"
            not input.request.headers.authorization
        }

        # Two values for one complete rule: an evaluation error (OPA's eval_conflict_error), not undefined.
        broken := x if { x := 1 }
        broken := x if { x := 2 }
        """;

    private readonly DateTimeOffset _now = TestTime.WholeSecondNow();
    private TestPki _example = null!;
    private TestPki _other = null!;
    private X509BundleSet _bundles = null!;
    private WorkloadUnderTest _writer = null!;

    public async Task InitializeAsync()
    {
        _example = new TestPki("example.org", _now);
        _other = new TestPki("other.org", _now);
        _bundles = new X509BundleSet(_example.Bundle, _other.Bundle);
        _writer = await WorkloadUnderTest.StartAsync(
            _example.Svid("/agents/writer", _now.AddMinutes(-1), _now.AddHours(1)),
            _bundles,
            new FakeTimeProvider(_now),
            app =>
            {
                app.Services.GetRequiredService<BundleActivator>().Activate(PolicyBundle.Load("test", Files(Policy)));
                app.MapGet("/frontend-only", () => "ok").RequireAuthorization(p => p.RequireSpiffeId("spiffe://example.org/agents/frontend"));
                app.MapGet("/partners", () => "ok").RequireAuthorization(p => p.RequireTrustDomain("other.org"));
                app.MapGet("/reports/{id}", () => "ok").RequireAuthorization(p => p.RequireRegoDecision("test/authz/allow", headers: ["x-request-id", "authorization"]));
                app.MapGet("/broken", () => "ok").RequireAuthorization(p => p.RequireRegoDecision("test/authz/broken"));
            },
            mtls: o => o.Authorizer = Spiffe.Tls.SpiffeAuthorizer.Any(),
            services: s => s.AddPolicyDecisionPoint(o => o.Mode = PolicyDecisionPointMode.Embedded));
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        _example.Dispose();
        _other.Dispose();
    }

    public static TheoryData<string, string, string, int> Cases => new()
    {
        { "/frontend-only", "spiffe://example.org/agents/frontend", "r-1", 200 },
        { "/frontend-only", "spiffe://example.org/agents/researcher", "r-1", 403 },
        { "/partners", "spiffe://other.org/agents/auditor", "r-1", 200 },
        { "/partners", "spiffe://example.org/agents/frontend", "r-1", 403 },
        { "/reports/7", "spiffe://example.org/agents/frontend", "r-1", 200 },
        { "/reports/7", "spiffe://example.org/agents/researcher", "r-1", 403 },
        { "/reports/7", "spiffe://example.org/agents/frontend", "r-2", 403 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Caller_IsAllowedOrForbidden(string path, string caller, string requestId, int status)
    {
        using var response = await CallAsync(path, caller, requestId);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task AllowListDenial_IsAProblemDetails403_WithoutDecisionId()
    {
        using var response = await CallAsync("/frontend-only", "spiffe://example.org/agents/researcher", "r-1");

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """{"type":"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4","title":"Forbidden","status":403,"detail":"The caller may not make this request."}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PolicyDenial_IsAProblemDetails403_WithTheDecisionIdOnly()
    {
        using var response = await CallAsync("/reports/7", "spiffe://example.org/agents/researcher", "r-1");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["type", "title", "status", "detail", "decision_id"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("The policy denied this request.", body.GetProperty("detail").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("decision_id").GetString(), out _));
    }

    [Fact]
    public async Task PolicyError_FailsClosed_WithoutDecisionId()
    {
        using var response = await CallAsync("/broken", "spiffe://example.org/agents/frontend", "r-1");

        Assert.Equal(
            """{"type":"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4","title":"Forbidden","status":403,"detail":"The policy could not decide; the request is denied."}""",
            await response.Content.ReadAsStringAsync());
        Assert.Single(_writer.Logs.Messages(1605));
    }

    private async Task<HttpResponseMessage> CallAsync(string path, string caller, string requestId)
    {
        var id = Spiffe.SpiffeId.Parse(caller);
        var pki = id.TrustDomain == _example.TrustDomain ? _example : _other;
        using var http = _writer.Client(pki.Svid(id.Path, _now.AddMinutes(-1), _now.AddHours(1)), _bundles, new FakeTimeProvider(_now));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-request-id", requestId);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static BundleFiles Files(string rego)
    {
        var files = new BundleFiles();
        files.Add("/test/authz.rego", Encoding.UTF8.GetBytes(rego));
        return files;
    }
}
