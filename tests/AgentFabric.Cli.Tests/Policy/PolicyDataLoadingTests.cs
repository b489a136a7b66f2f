using System.Formats.Tar;
using System.IO.Compression;

namespace AgentFabric.Cli.Tests.Policy;

/// <summary>How <c>policy eval</c> loads data and bundles: <c>-d</c> directories as <c>opa eval -d</c>, <c>-b</c>
/// bundles with their manifest, and every bad file named with its position.</summary>
public sealed class PolicyDataLoadingTests : IDisposable
{
    private readonly PolicyCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Data(params string[] args)
    {
        var (exit, stdout, stderr) = PolicyCli.Run(["eval", .. args]);
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    private static string ValueOf(string stdout)
    {
        // The value of the single expression of the first result, re-serialised compactly.
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("result")[0].GetProperty("expressions")[0].GetProperty("value").GetRawText()
            .Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }

    [Fact]
    public void JsonAndYamlFilesArePlacedAtTheirFolderPath()
    {
        _cli.Write("teams/red/data.json", """{"lead": "carol"}""");
        _cli.Write("teams/blue/members.yaml", "lead: dave\nsize: 3\nactive: yes\n");
        _cli.Write("root.yml", "region: eu\n");

        var value = ValueOf(Data("-d", _cli.Dir, "data"));

        Assert.Equal("""{"region":"eu","teams":{"blue":{"active":true,"lead":"dave","size":3},"red":{"lead":"carol"}}}""", value);
    }

    [Fact]
    public void BadJsonIsReportedWithFileLineAndColumn()
    {
        var bad = _cli.Write("a/data.json", "{\n  \"x\": 1,\n  \"y\": }\n");

        var (exit, stdout, stderr) = PolicyCli.Run("eval", "-d", _cli.Dir, "data");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"{bad}:3:8: invalid JSON: '}}' is an invalid start of a value.\n", stderr);
    }

    [Fact]
    public void BadYamlIsReportedWithFileLineAndColumn()
    {
        var bad = _cli.Write("a/data.yaml", "a:\n  b: [1, 2\n");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", _cli.Dir, "data");

        Assert.Equal(1, exit);
        Assert.Equal($"{bad}:3:1: invalid YAML: did not find expected ',' or ']'\n", stderr);
    }

    [Fact]
    public void YamlInputIsReadByItsExtension()
    {
        var policy = _cli.Write("p.rego", "package p\n\nuser := input.user\n");
        var input = _cli.Write("input.yaml", "user: alice\n");

        Assert.Equal("\"alice\"", ValueOf(Data("-d", policy, "-i", input, "data.p.user")));
    }

    [Fact]
    public void ABundleLoadsDataFilesByNameAndModulesAnywhere()
    {
        var bundle = Bundle(("users/data.json", """{"admins": ["alice"]}"""), ("users/extra.json", """{"x": 1}"""),
            ("users/eu/data.yaml", "region: eu\n"), ("authz/policy.rego", "package authz\n\nallow if input.user in data.users.admins\n"));

        Assert.Equal("""{"admins":["alice"],"eu":{"region":"eu"}}""", ValueOf(Data("-b", bundle, "data.users")));
        Assert.Equal("true", ValueOf(Data("-b", bundle, "-i", _cli.Write("in.json", """{"user": "alice"}"""), "data.authz.allow")));
    }

    [Fact]
    public void ABundleAndDataDirectoryMerge()
    {
        var bundle = Bundle((".manifest", """{"roots": ["users"]}"""), ("users/data.json", """{"admins": ["alice"]}"""));
        _cli.Write("extra/settings/data.json", """{"mode": "strict"}""");

        Assert.Equal(
            """{"settings":{"mode":"strict"},"users":{"admins":["alice"]}}""",
            ValueOf(Data("-b", bundle, "-d", Path.Combine(_cli.Dir, "extra"), "data")));
    }

    [Fact]
    public void ATarballBundleLoadsLikeADirectory()
    {
        var dir = Bundle(("users/data.json", """{"admins": ["alice"]}"""), ("authz/policy.rego", "package authz\n\nn := count(data.users.admins)\n"));
        var tarball = Path.Combine(_cli.Dir, "bundle.tar.gz");
        using (var file = File.Create(tarball))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            TarFile.CreateFromDirectory(dir, gzip, includeBaseDirectory: false);
        }

        Assert.Equal("1", ValueOf(Data("-b", tarball, "data.authz.n")));
    }

    [Fact]
    public void ManifestRegoVersionsChooseTheSyntax()
    {
        var bundle = Bundle(
            (".manifest", """{"rego_version": 0, "file_rego_versions": {"/v1/*.rego": 1}}"""),
            ("old/p.rego", "package old\n\nallow { true }\n"),
            ("v1/q.rego", "package v1\n\nallow if true\n"));

        Assert.Equal("""{"old":{"allow":true},"v1":{"allow":true}}""", ValueOf(Data("-b", bundle, "data")));
    }

    [Theory]
    [InlineData("""{"roots": ["users", "users/admins"]}""", "{manifest}: manifest has overlapped roots: 'users' and 'users/admins'")]
    [InlineData("""{"roots": ["users"]}""", "manifest roots [users] do not permit 'package authz' in module '{policy}'")]
    [InlineData("""{"roots": ["authz", "users/eu"]}""", "{bundle}: manifest roots [authz users/eu] do not permit data at path '/users/admins' (hint: check bundle directory structure)")]
    [InlineData("""{"roots": "users"}""", "{manifest}: roots must be an array of strings")]
    [InlineData("""{"rego_version": 2}""", "{manifest}: rego_version must be 0 or 1")]
    [InlineData("""["users"]""", "{manifest}: the manifest must be a JSON object")]
    public void ManifestViolationsAreReported(string manifest, string message)
    {
        var bundle = Bundle((".manifest", manifest), ("users/data.json", """{"admins": ["alice"]}"""), ("authz/policy.rego", "package authz\n\nallow := true\n"));

        var (exit, _, stderr) = PolicyCli.Run("eval", "-b", bundle, "data");

        Assert.Equal(1, exit);
        var expected = message.Replace("{manifest}", Path.Combine(bundle, ".manifest"), StringComparison.Ordinal)
            .Replace("{policy}", Path.Combine(bundle, "authz/policy.rego"), StringComparison.Ordinal)
            .Replace("{bundle}", bundle, StringComparison.Ordinal);
        Assert.Equal(expected + "\n", stderr);
    }

    [Fact]
    public void AMissingBundleIsReported()
    {
        var missing = Path.Combine(_cli.Dir, "nope");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-b", missing, "data");

        Assert.Equal(1, exit);
        Assert.Equal($"{missing}: no such file or directory\n", stderr);
    }

    [Fact]
    public void ANonTarballBundleFileIsReported()
    {
        var file = _cli.Write("bundle.tar.gz", "not gzip");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-b", file, "data");

        Assert.Equal(1, exit);
        Assert.StartsWith($"{file}: not a bundle directory or .tar.gz file: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCompileErrorIsListed()
    {
        var policy = _cli.Write("m.rego", "package p\n\np if x\n\nq if y\n");

        var (exit, _, stderr) = PolicyCli.Run("eval", "-d", policy, "data");

        Assert.Equal(1, exit);
        Assert.Equal(
            $"2 errors occurred:\n{policy}:3:6: rego_unsafe_var_error: var x is unsafe\n{policy}:5:6: rego_unsafe_var_error: var y is unsafe\n",
            stderr);
    }

    private string Bundle(params (string Path, string Text)[] files)
    {
        var root = Path.Combine(_cli.Dir, "bundle" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (path, text) in files)
        {
            _cli.Write(Path.GetRelativePath(_cli.Dir, Path.Combine(root, path)), text);
        }

        return root;
    }
}
