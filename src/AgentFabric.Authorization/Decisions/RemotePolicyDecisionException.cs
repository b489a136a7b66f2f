using System.Net;

namespace AgentFabric.Authorization;

/// <summary>The remote server answered with an error (OPA's error body <c>{"code", "message", "errors"}</c>) or with a
/// response that is not a Data API response.</summary>
public sealed class RemotePolicyDecisionException : PolicyDecisionException
{
    internal RemotePolicyDecisionException(HttpStatusCode status, string? code, string reason, IReadOnlyList<string> errors)
        : base(Format(status, code, reason, errors))
    {
        StatusCode = status;
        Code = code;
        Reason = reason;
        Errors = errors;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>OPA's error code (<c>invalid_parameter</c>, <c>internal_error</c>...), null when the body had none.</summary>
    public string? Code { get; }

    /// <summary>OPA's message, or what was wrong with the response.</summary>
    public string Reason { get; }

    /// <summary>The messages of OPA's nested <c>errors</c>, e.g. <c>eval_conflict_error: ...</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(HttpStatusCode status, string? code, string reason, IReadOnlyList<string> errors)
    {
        var head = $"pdp: remote answered {(int)status}: {(code is null ? "" : code + ": ")}{reason}";
        return errors.Count == 0 ? head : $"{head} ({string.Join("; ", errors)})";
    }
}
