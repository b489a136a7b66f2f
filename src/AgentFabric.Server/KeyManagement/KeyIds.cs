namespace AgentFabric.Server.KeyManagement;

internal static class KeyIds
{
    // Key ids become file names on disk: keep them to a safe alphabet so no id escapes the keys directory.
    public static void Validate(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        foreach (var c in keyId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || keyId.StartsWith('.'))
            {
                throw new ArgumentException($"keymanager: key id \"{keyId}\" may only hold letters, digits, '-', '_' and '.'", nameof(keyId));
            }
        }
    }
}
