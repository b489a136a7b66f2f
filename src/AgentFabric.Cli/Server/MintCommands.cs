using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using AgentFabric.Server.Config;
using AgentFabric.Spiffe;
using Google.Protobuf;

namespace AgentFabric.Cli.Server;

/// <summary>
/// <c>x509 mint</c> and <c>jwt mint</c>, as SPIRE's: an SVID for any SPIFFE ID of the trust domain, without a
/// registration entry. For X.509 the key is generated here (P-256) and only a CSR goes to the server, as SPIRE does;
/// the SVID, key and bundle are printed, or written to <c>-write DIR</c> as svid.pem, key.pem (0600) and bundle.pem.
/// </summary>
internal static class MintCommands
{
    public static Command CreateX509()
    {
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "SPIFFE ID of the X509-SVID");
        var ttl = ServerCommands.Flag<string>("ttl", "TTL of the X509-SVID (e.g. 1h, 30m; 0 or unset: the server default)");
        var dns = new Option<string[]>("-dns", "--dns") { Description = "DNS name that will be included in SVID. Can be used more than once.", AllowMultipleArgumentsPerToken = false };
        var write = ServerCommands.Flag<string>("write", "Directory to write output to instead of stdout");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var mint = new Command("mint", "Mints an X509-SVID") { spiffeId, ttl, dns, write, socket, output };
        mint.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            var id = RequireId(parse.GetValue(spiffeId));
            var seconds = TtlSeconds(parse.GetValue(ttl));
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var dnsNames = parse.GetValue(dns) ?? [];
            var request = new AdminMintX509SvidRequest { Csr = ByteString.CopyFrom(Csr(key, id)), SpiffeId = id.ToString(), Ttl = seconds };
            request.DnsNames.AddRange(dnsNames);

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var client = AdminChannel.Client(channel);
            var requestedAt = DateTimeOffset.UtcNow;
            var svid = await client.MintX509SvidAsync(request, cancellationToken: ct);
            var bundle = await client.GetBundleAsync(new Empty(), cancellationToken: ct);
            WarnIfCapped(console, "X509-SVID", seconds, requestedAt, svid.ExpiresAt);

            var svidPem = Pem(svid.CertChain.Select(c => c.ToByteArray()));
            var keyPem = new string(PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8PrivateKey())) + "\n";
            var bundlePem = Pem(bundle.X509Authorities.Select(c => c.ToByteArray()));
            if (json)
            {
                console.WriteJson(svid);
                return 0;
            }

            if (parse.GetValue(write) is not { } dir)
            {
                console.Out.Write($"X509-SVID:\n{svidPem}\nPrivate key:\n{keyPem}\nRoot CAs:\n{bundlePem}\n");
                return 0;
            }

            var svidPath = Path.Combine(dir, "svid.pem");
            var keyPath = Path.Combine(dir, "key.pem");
            var bundlePath = Path.Combine(dir, "bundle.pem");
            WriteFile(svidPath, svidPem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "SVID");
            console.Out.WriteLine($"X509-SVID written to {svidPath}");
            WriteFile(keyPath, keyPem, UnixFileMode.UserRead | UnixFileMode.UserWrite, "key");
            console.Out.WriteLine($"Private key written to {keyPath}");
            WriteFile(bundlePath, bundlePem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "bundle");
            console.Out.WriteLine($"Root CAs written to {bundlePath}");
            return 0;
        });
        return new Command("x509", "Mint X509-SVIDs") { mint };
    }

    public static Command CreateJwt()
    {
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "SPIFFE ID of the JWT-SVID");
        var ttl = ServerCommands.Flag<string>("ttl", "TTL of the JWT-SVID (e.g. 5m; 0 or unset: the server default)");
        var audience = new Option<string[]>("-audience", "--audience") { Description = "Audience claim that will be included in the SVID. Can be used more than once." };
        var write = ServerCommands.Flag<string>("write", "File to write token to instead of stdout");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var mint = new Command("mint", "Mints a JWT-SVID") { spiffeId, ttl, audience, write, socket, output };
        mint.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            var audiences = parse.GetValue(audience) ?? [];
            if (string.IsNullOrEmpty(parse.GetValue(spiffeId)))
            {
                throw new CliException("spiffeID must be specified");
            }

            if (audiences.Length == 0)
            {
                throw new CliException("at least one audience must be specified");
            }

            var id = RequireId(parse.GetValue(spiffeId));
            var seconds = TtlSeconds(parse.GetValue(ttl));
            var request = new AdminMintJwtSvidRequest { SpiffeId = id.ToString(), Ttl = seconds };
            request.Audience.AddRange(audiences);
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var requestedAt = DateTimeOffset.UtcNow;
            var minted = await AdminChannel.Client(channel).MintJwtSvidAsync(request, cancellationToken: ct);
            WarnIfCapped(console, "JWT-SVID", seconds, requestedAt, minted.ExpiresAt);
            if (json)
            {
                console.WriteJson(minted);
            }
            else if (parse.GetValue(write) is { } path)
            {
                WriteFile(path, minted.Token, UnixFileMode.UserRead | UnixFileMode.UserWrite, "token");
                console.Out.WriteLine($"JWT-SVID written to {path}");
            }
            else
            {
                console.Out.WriteLine(minted.Token);
            }

            return 0;
        });
        return new Command("jwt", "Mint JWT-SVIDs") { mint };
    }

    private static SpiffeId RequireId(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new CliException("spiffeID must be specified");
        }

        return SpiffeId.TryParse(text, out var id, out var error) ? id : throw new CliException(error);
    }

    /// <summary>The TTL in whole seconds, rounded up as SPIRE does; 0 when unset.</summary>
    internal static int TtlSeconds(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (text.StartsWith('-'))
        {
            throw new CliException($"-ttl must not be negative, got \"{text}\"");
        }

        if (!DurationText.TryParse(text, out var ttl))
        {
            throw new CliException($"-ttl \"{text}\" is not a duration (e.g. 1h, 30m, 90s)");
        }

        var seconds = Math.Ceiling(ttl.TotalSeconds);
        return seconds <= int.MaxValue
            ? (int)seconds
            : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"-ttl \"{text}\" is out of range (at most {int.MaxValue} seconds)"));
    }

    private static void WarnIfCapped(CliConsole console, string what, int ttlSeconds, DateTimeOffset requestedAt, long expiresAt)
    {
        // As SPIRE: the server never signs past its CA or JWT key; say so when that shortened the lifetime asked for.
        // Measured from before the call: the server signs no earlier, so an uncapped expiry (whole seconds, at most one
        // lost) is never short of requestedAt + ttl - 1 s, however long the call took.
        var expiry = DateTimeOffset.FromUnixTimeSeconds(expiresAt);
        if (ttlSeconds > 0 && expiry - requestedAt < TimeSpan.FromSeconds(ttlSeconds - 1))
        {
            console.Error.WriteLine($"{what} lifetime was capped shorter than specified ttl; expires \"{expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\"");
        }
    }

    private static byte[] Csr(ECDsa key, SpiffeId id)
    {
        // The CSR proves we hold the key and carries the URI SAN as SPIRE's does; the server takes the SPIFFE ID and
        // the DNS names from the request's fields (and checks them), not from the CSR.
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(id.ToString()));
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest();
    }

    private static string Pem(IEnumerable<byte[]> certificates)
    {
        var text = new StringBuilder();
        foreach (var der in certificates)
        {
            text.Append(PemEncoding.Write("CERTIFICATE", der)).Append('\n');
        }

        return text.ToString();
    }

    private static void WriteFile(string path, string contents, UnixFileMode mode, string what)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(contents));
            }

            // The create mode applies only to a new file: an existing key file is narrowed too.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"unable to write {what}: {e.Message}", e);
        }
    }
}
