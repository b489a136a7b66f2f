using System.Security.Cryptography;

namespace AgentFabric.Fuzz;

/// <summary>An input that made a target throw an exception it does not document.</summary>
/// <param name="Input">The input.</param>
/// <param name="Exception">What escaped.</param>
public sealed record Finding(byte[] Input, Exception Exception)
{
    /// <summary>Type, message's first line and the throwing frame: inputs with the same signature are one bug.</summary>
    public string Signature
    {
        get
        {
            var message = Exception.Message.Split('\n')[0];
            var frame = Exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "";
            return $"{Exception.GetType().FullName}: {(message.Length > 120 ? message[..120] : message)} {frame}";
        }
    }

    /// <summary>A file name from the input's hash.</summary>
    public static string FileName(byte[] input) => Convert.ToHexStringLower(SHA256.HashData(input))[..16];
}
