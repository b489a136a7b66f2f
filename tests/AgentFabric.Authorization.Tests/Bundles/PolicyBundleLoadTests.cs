using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization.Tests.Bundles;

public sealed class PolicyBundleLoadTests
{
    private const string Authz = "package authz\n\nallow if input.user == data.authz.admins[_]\n";

    [Fact]
    public void Loads_manifest_modules_and_data_at_their_paths()
    {
        var bundle = PolicyBundle.Load("b", BundleBuilder.Files(
            ("/.manifest", """{"revision":"r42","roots":["authz","roles"],"metadata":{"team":"sec"}}"""),
            ("/authz/policy.rego", Authz),
            ("/authz/data.json", """{"admins":["alice"]}"""),
            ("/roles/bindings/data.yaml", "alice: [admin]\n"),
            ("/roles/other.json", """{"ignored":true}"""),
            ("/README.md", "ignored")));

        Assert.Equal("r42", bundle.Manifest.Revision);
        Assert.Equal(["authz", "roles"], bundle.Manifest.Roots);
        Assert.Equal("""{"team":"sec"}""", bundle.Manifest.Metadata.ToJson());
        Assert.Equal("/authz/policy.rego", Assert.Single(bundle.Modules).Name);
        Assert.Equal("""{"authz":{"admins":["alice"]},"roles":{"bindings":{"alice":["admin"]}}}""", bundle.Data.ToJson());
    }

    [Fact]
    public void Without_manifest_owns_everything()
    {
        var bundle = PolicyBundle.Load("b", BundleBuilder.Files(("/data.json", """{"a":1}"""), ("/x.rego", "package x\n\ny := 1\n")));

        Assert.Equal([""], bundle.Manifest.Roots);
        Assert.Equal("", bundle.Manifest.Revision);
        Assert.Equal("""{"a":1}""", bundle.Data.ToJson());
    }

    [Fact]
    public void Manifest_chooses_rego_versions_per_file()
    {
        var bundle = PolicyBundle.Load("b", BundleBuilder.Files(
            ("/.manifest", """{"rego_version":1,"file_rego_versions":{"/legacy/*.rego":0}}"""),
            ("/legacy/old.rego", "package legacy\n\nallow { true }\n"),
            ("/new.rego", "package new\n\nallow if true\n")));

        Assert.Equal(RegoVersion.V0, bundle.Modules.Single(m => m.Name == "/legacy/old.rego").Version);
        Assert.Equal(RegoVersion.V1, bundle.Modules.Single(m => m.Name == "/new.rego").Version);
    }

    [Theory]
    [InlineData("[]", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: the manifest must be a JSON object")]
    [InlineData("{", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: not JSON: ")]
    [InlineData("""{"revision":7}""", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: revision must be a string")]
    [InlineData("""{"roots":"a"}""", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: roots must be an array of strings")]
    [InlineData("""{"rego_version":2}""", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: rego_version must be 0 or 1")]
    [InlineData("""{"file_rego_versions":{"/a.rego":"1"}}""", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: file_rego_versions[\"/a.rego\"] must be 0 or 1")]
    [InlineData("""{"metadata":[]}""", BundleErrorReason.InvalidManifest, "bundle b: /.manifest: metadata must be an object")]
    [InlineData("""{"roots":["a/b","a"]}""", BundleErrorReason.RootOverlap, "bundle b: /.manifest: manifest has overlapped roots: 'a/b' and 'a'")]
    [InlineData("""{"roots":["a",""]}""", BundleErrorReason.RootOverlap, "bundle b: /.manifest: manifest has overlapped roots: 'a' and ''")]
    public void Bad_manifest_is_refused(string manifest, BundleErrorReason reason, string message)
    {
        var e = Assert.Throws<BundleException>(() => PolicyBundle.Load("b", BundleBuilder.Files(("/.manifest", manifest))));

        Assert.Equal(reason, e.Reason);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/x/policy.rego", "package other\n\np := 1\n", BundleErrorReason.OutsideRoots, "bundle b: manifest roots [authz] do not permit 'package other' in module '/x/policy.rego'")]
    [InlineData("/other/data.json", "{}", BundleErrorReason.OutsideRoots, "bundle b: manifest roots [authz] do not permit data at path '/other' (hint: check bundle directory structure)")]
    [InlineData("/data.json", """{"other":1}""", BundleErrorReason.OutsideRoots, "bundle b: manifest roots [authz] do not permit data at path '/other' (hint: check bundle directory structure)")]
    [InlineData("/authz/p.rego", "package authz\n\nallow {", BundleErrorReason.ParseError, "bundle b: /authz/p.rego:3: rego_parse_error: ")]
    [InlineData("/authz/data.json", "{nope", BundleErrorReason.InvalidData, "bundle b: /authz/data.json: ")]
    [InlineData("/authz/data.yaml", "a: [", BundleErrorReason.InvalidData, "bundle b: /authz/data.yaml: ")]
    public void Bad_file_is_refused(string path, string text, BundleErrorReason reason, string message)
    {
        var e = Assert.Throws<BundleException>(() => PolicyBundle.Load("b", BundleBuilder.Files(("/.manifest", """{"roots":["authz"]}"""), (path, text))));

        Assert.Equal(reason, e.Reason);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_data_is_allowed_when_every_key_leads_under_a_root()
    {
        var bundle = PolicyBundle.Load("b", BundleBuilder.Files(("/.manifest", """{"roots":["authz/admins"]}"""), ("/data.json", """{"authz":{"admins":["a"]}}""")));

        Assert.Equal("""{"authz":{"admins":["a"]}}""", bundle.Data.ToJson());
    }

    [Fact]
    public void Conflicting_data_is_refused()
    {
        var e = Assert.Throws<BundleException>(() => PolicyBundle.Load("b", BundleBuilder.Files(
            ("/data.json", """{"a":{"b":1}}"""), ("/a/data.json", """{"b":2}"""))));

        Assert.Equal(BundleErrorReason.InvalidData, e.Reason);
        Assert.Equal("bundle b: /data.json: data at '/a/b' conflicts with data from another file", e.Message);
    }

    [Fact]
    public void Root_data_must_be_an_object()
    {
        var e = Assert.Throws<BundleException>(() => PolicyBundle.Load("b", BundleBuilder.Files(("/data.json", "[1]"))));

        Assert.Equal("bundle b: /data.json: data at the root must be an object", e.Message);
    }

    [Fact]
    public void Reads_a_directory_and_the_same_tarball_alike()
    {
        var dir = Directory.CreateTempSubdirectory("bundle-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "authz"));
            File.WriteAllText(Path.Combine(dir, ".manifest"), """{"revision":"d1","roots":["authz"]}""");
            File.WriteAllText(Path.Combine(dir, "authz", "policy.rego"), Authz);
            File.WriteAllText(Path.Combine(dir, "authz", "data.json"), """{"admins":["bob"]}""");
            var tar = Path.Combine(dir, "..", Path.GetFileName(dir) + ".tar.gz");
            File.WriteAllBytes(tar, BundleBuilder.TarGz(
                ("./.manifest", """{"revision":"d1","roots":["authz"]}"""), ("authz/policy.rego", Authz), ("/authz/data.json", """{"admins":["bob"]}""")));

            var fromDir = PolicyBundle.LoadPath("b", dir);
            var fromTar = PolicyBundle.LoadPath("b", tar);

            Assert.Equal(fromDir.Data, fromTar.Data);
            // Each names its files by their path on disk, as opa does; the contents are the same.
            Assert.Equal(Path.Combine(dir, "authz/policy.rego"), fromDir.Modules.Single().Name);
            Assert.Equal(Path.Combine(tar, "authz/policy.rego"), fromTar.Modules.Single().Name);
            Assert.Equal(fromDir.Modules.Single() with { Name = "" }, fromTar.Modules.Single() with { Name = "" });
            Assert.Equal("d1", fromTar.Manifest.Revision);
            File.Delete(tar);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("../evil.rego", "bundle b: tar entry '../evil.rego' escapes the bundle")]
    [InlineData("authz/../../evil.rego", "bundle b: tar entry 'authz/../../evil.rego' escapes the bundle")]
    [InlineData("./", "bundle b: tar entry './' escapes the bundle")]
    public void Path_traversal_in_the_tarball_is_refused(string name, string message)
    {
        using var stream = new MemoryStream(BundleBuilder.TarGz((name, "package evil\n")));

        var e = Assert.Throws<BundleException>(() => BundleReader.ReadTarGz("b", stream));

        Assert.Equal(BundleErrorReason.PathTraversal, e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Links_in_the_tarball_are_refused()
    {
        using var stream = new MemoryStream(BundleBuilder.TarGzWithLink("authz/data.json", "/etc/passwd"));

        var e = Assert.Throws<BundleException>(() => BundleReader.ReadTarGz("b", stream));

        Assert.Equal(BundleErrorReason.PathTraversal, e.Reason);
        Assert.Equal("bundle b: /authz/data.json: links are not allowed in a bundle", e.Message);
    }

    [Fact]
    public void Links_in_a_directory_are_refused()
    {
        var dir = Directory.CreateTempSubdirectory("bundle-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(dir, "data.json"), "/etc/hostname");

            var e = Assert.Throws<BundleException>(() => BundleReader.ReadDirectory("b", dir));

            Assert.Equal(BundleErrorReason.PathTraversal, e.Reason);
            Assert.Equal("bundle b: /data.json: links are not allowed in a bundle", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Duplicate_entries_are_refused()
    {
        using var stream = new MemoryStream(BundleBuilder.TarGz(("a.rego", "package a\n"), ("./a.rego", "package a\n")));

        Assert.Equal("bundle b: /a.rego: appears twice in the archive", Assert.Throws<BundleException>(() => BundleReader.ReadTarGz("b", stream)).Message);
    }

    [Theory]
    [InlineData(10, 1000, 10, "bundle b: /big.json: 11 bytes exceeds the file size limit of 10")]
    [InlineData(100, 15, 10, "bundle b: /b.json: the bundle exceeds the size limit of 15 bytes")]
    [InlineData(100, 1000, 1, "bundle b: more than 1 files")]
    public void Oversize_is_refused(long maxFile, long maxTotal, int maxFiles, string message)
    {
        using var stream = new MemoryStream(BundleBuilder.TarGz(("big.json", "{\"a\":12345}"), ("b.json", "{\"b\":1}")));
        var limits = new BundleLimits { MaxFileBytes = maxFile, MaxTotalBytes = maxTotal, MaxFiles = maxFiles };

        var e = Assert.Throws<BundleException>(() => BundleReader.ReadTarGz("b", stream, limits));

        Assert.Equal(BundleErrorReason.TooLarge, e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Not_a_tarball_is_refused()
    {
        using var stream = new MemoryStream("plain text"u8.ToArray());

        var e = Assert.Throws<BundleException>(() => BundleReader.ReadTarGz("b", stream));

        Assert.Equal(BundleErrorReason.InvalidArchive, e.Reason);
        Assert.StartsWith("bundle b: not a gzipped tarball: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_path_is_refused() =>
        Assert.Equal("bundle b: /no/such/bundle: no such file or directory",
            Assert.Throws<BundleException>(() => PolicyBundle.LoadPath("b", "/no/such/bundle")).Message);

    [Fact]
    public void Embedded_library_loads_without_its_tests()
    {
        var bundle = AgentFabricPolicyLibrary.Load();

        Assert.Equal("agentfabric-lib-1", bundle.Manifest.Revision);
        Assert.Equal(["agentfabric"], bundle.Manifest.Roots);
        Assert.Contains(bundle.Modules, m => m.Name == "/agentfabric/examples/research/research.rego");
        Assert.DoesNotContain(bundle.Modules, m => m.Name.EndsWith("_test.rego", StringComparison.Ordinal));
        Assert.Equal(ObjectValue.Empty, bundle.Data);
    }
}
