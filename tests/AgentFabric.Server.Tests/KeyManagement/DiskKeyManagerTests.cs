using System.Security.Cryptography;
using AgentFabric.Server.KeyManagement;

namespace AgentFabric.Server.Tests.KeyManagement;

public class DiskKeyManagerTests
{
    [Fact]
    public void KeySurvivesRestart_AndFileIs0600()
    {
        using var dir = new TempDirectory();
        byte[] publicKey;
        byte[] signature;
        var data = "hello"u8.ToArray();
        using (var keys = new DiskKeyManager(dir.Combine("keys")))
        {
            var key = keys.GenerateKey("x509-ca-1");
            publicKey = key.ExportSubjectPublicKeyInfo();
            signature = key.SignData(data, HashAlgorithmName.SHA256);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.PathOf("x509-ca-1")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Combine("keys")));
        }

        using var reopened = new DiskKeyManager(dir.Combine("keys"));
        var loaded = reopened.GetKey("x509-ca-1");
        Assert.NotNull(loaded);
        Assert.Equal(publicKey, loaded.ExportSubjectPublicKeyInfo());
        Assert.True(loaded.VerifyData(data, signature, HashAlgorithmName.SHA256));
        Assert.Null(reopened.GetKey("absent"));
        Assert.True(reopened.DeleteKey("x509-ca-1"));
        Assert.Null(reopened.GetKey("x509-ca-1"));
        Assert.False(reopened.DeleteKey("x509-ca-1"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public void RejectsKeyIdsThatAreNotPlainNames(string id)
    {
        using var dir = new TempDirectory();
        using var keys = new DiskKeyManager(dir.Path);
        var e = Assert.Throws<ArgumentException>(() => keys.GenerateKey(id));
        Assert.StartsWith($"keymanager: key id \"{id}\" may only hold letters, digits, '-', '_' and '.'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptKeyFile_IsASpecificError()
    {
        using var dir = new TempDirectory();
        using var keys = new DiskKeyManager(dir.Path);
        File.WriteAllText(keys.PathOf("bad"), "not a key");
        var e = Assert.Throws<KeyManagerException>(() => keys.GetKey("bad"));
        Assert.StartsWith($"keymanager: key file \"{keys.PathOf("bad")}\" is unreadable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryKeyManager_HoldsKeysInProcessOnly()
    {
        using var keys = new MemoryKeyManager();
        var key = keys.GenerateKey("k");
        Assert.Same(key, keys.GetKey("k"));
        Assert.True(keys.DeleteKey("k"));
        Assert.Null(keys.GetKey("k"));
    }
}
