namespace AgentFabric.PolicyServer.Tests;

public sealed class DataWriteApiTests : IAsyncLifetime
{
    private RunningPolicyServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningPolicyServer.StartAsync();
        var (status, body) = await _server.SendAsync(HttpMethod.Put, "v1/data/store", """{"users":{"alice":{"roles":["admin"]}},"list":[1,2]}""");
        Assert.True(status == 204, body);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> GetAsync(string path) => (await _server.SendAsync(HttpMethod.Get, "v1/data/" + path)).Body;

    [Theory]
    [InlineData("""[{"op":"add","path":"/users/bob","value":{"roles":[]}}]""", "store/users/bob", """{"result":{"roles":[]}}""")]
    [InlineData("""[{"op":"replace","path":"/users/alice/roles","value":["viewer"]}]""", "store/users/alice/roles", """{"result":["viewer"]}""")]
    [InlineData("""[{"op":"remove","path":"/users/alice"}]""", "store/users", """{"result":{}}""")]
    [InlineData("""[{"op":"add","path":"/list/-","value":3}]""", "store/list", """{"result":[1,2,3]}""")]
    [InlineData("""[{"op":"add","path":"/list/0","value":0}]""", "store/list", """{"result":[0,1,2]}""")]
    [InlineData("""[{"op":"remove","path":"/list/1"}]""", "store/list", """{"result":[1]}""")]
    [InlineData("""[{"op":"add","path":"/a~1b","value":1},{"op":"replace","path":"/a~1b","value":2}]""", "store", """{"result":{"a/b":2,"list":[1,2],"users":{"alice":{"roles":["admin"]}}}}""")]
    public async Task PatchAppliesJsonPatch(string patch, string readPath, string expected)
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Patch, "v1/data/store", patch, "application/json-patch+json");
        Assert.True(status == 204, body);
        Assert.Equal(expected, await GetAsync(readPath));
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/users/carol"}]""", 404, """{"code":"resource_not_found","message":"storage_not_found_error: /store/users/carol: document does not exist"}""")]
    [InlineData("""[{"op":"replace","path":"/nope","value":1}]""", 404, """{"code":"resource_not_found","message":"storage_not_found_error: /store/nope: document does not exist"}""")]
    [InlineData("""[{"op":"add","path":"/x/y","value":1}]""", 404, """{"code":"resource_not_found","message":"storage_not_found_error: /store/x: document does not exist"}""")]
    [InlineData("""[{"op":"move","path":"/x","from":"/y"}]""", 400, """{"code":"invalid_parameter","message":"invalid patch operation \"move\": want add, remove or replace"}""")]
    [InlineData("""[{"op":"add","path":"/x"}]""", 400, """{"code":"invalid_parameter","message":"patch operation \"add\" at \"/x\" has no \"value\""}""")]
    [InlineData("""{"op":"add"}""", 400, """{"code":"invalid_parameter","message":"body must be a JSON Patch document: an array of operations"}""")]
    public async Task BadPatchIsRefusedAndChangesNothing(string patch, int status, string expected)
    {
        var before = await GetAsync("store");
        var (actualStatus, body) = await _server.SendAsync(HttpMethod.Patch, "v1/data/store", patch, "application/json-patch+json");
        Assert.Equal(status, actualStatus);
        Assert.Equal(expected, body);
        Assert.Equal(before, await GetAsync("store"));
    }

    [Fact]
    public async Task PutCreatesParentsAndIfNoneMatchKeepsAnExistingDocument()
    {
        Assert.Equal(204, (await _server.SendAsync(HttpMethod.Put, "v1/data/deep/er/doc", "1")).Status);
        Assert.Equal("""{"result":{"er":{"doc":1}}}""", await GetAsync("deep"));

        using var request = new HttpRequestMessage(HttpMethod.Put, "v1/data/deep/er/doc") { Content = new StringContent("2") };
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(304, (int)response.StatusCode);
        Assert.Equal("""{"result":1}""", await GetAsync("deep/er/doc"));
    }

    [Theory]
    [InlineData("v1/data/store/users", 204)]
    [InlineData("v1/data/store/none", 404)]
    public async Task Delete(string path, int status)
    {
        Assert.Equal(status, (await _server.SendAsync(HttpMethod.Delete, path)).Status);
    }

    [Fact]
    public async Task PoliciesSeeWrittenData()
    {
        await _server.PutPolicyAsync("roles", "package q\n\nis_admin if \"admin\" in data.store.users[input.user].roles\n");
        Assert.Equal("""{"result":true}""", (await _server.SendAsync(HttpMethod.Post, "v1/data/q/is_admin", """{"input":{"user":"alice"}}""")).Body);
    }

    [Fact]
    public async Task MalformedBodyIs400()
    {
        var (status, body) = await _server.SendAsync(HttpMethod.Put, "v1/data/x", "{");
        Assert.Equal(400, status);
        Assert.StartsWith("""{"code":"invalid_parameter","message":"body contains malformed JSON: """, body, StringComparison.Ordinal);
    }
}
