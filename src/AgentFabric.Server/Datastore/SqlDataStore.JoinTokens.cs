using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentFabric.Server.Datastore;

/// <summary>
/// Join tokens are stored as their SHA-256, never in plaintext: a token is a bearer credential (SPIRE join_token
/// attestor) and anyone who can read the database file or its WAL must not be able to attest with it. A token is
/// 128 random bits, so an unsalted hash cannot be reversed by search.
/// </summary>
public sealed partial class SqlDataStore
{
    private const string HashPrefix = "sha256:";

    public Task CreateJoinTokenAsync(string token, long expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return InTransactionAsync(async (c, t) =>
        {
            try
            {
                return await ExecuteAsync(c, t, "INSERT INTO join_tokens (token, expires_at) VALUES (@token, @expires)", cancellationToken,
                    ("token", HashToken(token)), ("expires", expiresAt)).ConfigureAwait(false);
            }
            catch (DbException e) when (_dialect.IsUniqueViolation(e))
            {
                throw new DatastoreException(DatastoreError.AlreadyExists, "datastore: join token already exists", e);
            }
        }, cancellationToken);
    }

    public async Task<long?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);

        // DELETE ... RETURNING is atomic: of two concurrent attempts only one gets the row back.
        var value = await InTransactionAsync((c, t) => ScalarAsync(c, t, "DELETE FROM join_tokens WHERE token = @token RETURNING expires_at", cancellationToken, ("token", HashToken(token))), cancellationToken).ConfigureAwait(false);
        return value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public Task<int> PruneJoinTokensAsync(long before, CancellationToken cancellationToken = default) =>
        InTransactionAsync((c, t) => ExecuteAsync(c, t, "DELETE FROM join_tokens WHERE expires_at < @before", cancellationToken, ("before", before)), cancellationToken);

    /// <summary>The stored form of a join token: "sha256:" and the lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    internal static string HashToken(string token) =>
        HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Replaces the plaintext rows written by versions before hashing with their hash, in one transaction.</summary>
    private Task<int> HashPlaintextJoinTokensAsync(CancellationToken cancellationToken) =>
        InTransactionAsync(async (c, t) =>
        {
            var plaintext = await QueryAsync(c, t, "SELECT token FROM join_tokens WHERE token NOT LIKE 'sha256:%'", r => r.GetString(0), cancellationToken).ConfigureAwait(false);
            foreach (var token in plaintext)
            {
                await ExecuteAsync(c, t, "UPDATE join_tokens SET token = @hash WHERE token = @token", cancellationToken,
                    ("hash", HashToken(token)), ("token", token)).ConfigureAwait(false);
            }

            return plaintext.Count;
        }, cancellationToken);
}
