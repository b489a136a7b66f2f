using System.Security.Cryptography;
using AgentFabric.Edge.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AgentFabric.Edge.Users;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    Succeeded,
    WrongCredentials,
    LockedOut,
}

/// <summary>
/// The users of the edge: passwords hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, an
/// account locked for <see cref="EdgeOptions.LockoutDuration"/> after <see cref="EdgeOptions.LockoutThreshold"/>
/// failed sign-ins in a row.
/// </summary>
public sealed class EdgeUserStore(EdgeDbContext db, EdgeOptions options, TimeProvider timeProvider)
{
    private static readonly PasswordHasher<EdgeUser> s_hasher = new();

    /// <summary>Adds a user. Throws <see cref="ArgumentException"/> for an empty name or password and
    /// <see cref="InvalidOperationException"/> when the name is taken.</summary>
    public async Task<EdgeUser> AddAsync(string userName, string password, string? email = null, string? displayName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (await FindAsync(userName, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"edge: user \"{userName}\" already exists");
        }

        var user = new EdgeUser
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserName = userName,
            Email = email,
            DisplayName = displayName,
            Created = timeProvider.GetUtcNow(),
        };
        user.PasswordHash = s_hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    public Task<EdgeUser?> FindAsync(string userName, CancellationToken cancellationToken = default) =>
        db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);

    public Task<EdgeUser?> FindByIdAsync(string id, CancellationToken cancellationToken = default) =>
        db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);

    public async Task<IReadOnlyList<EdgeUser>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Users.OrderBy(u => u.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Removes a user; false when there is none of that name.</summary>
    public async Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return false;
        }

        db.Users.Remove(user);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Checks a password. An unknown user and a wrong password read the same to the caller; a locked
    /// account is refused even with the right password until the lock ends.</summary>
    public async Task<(SignInOutcome Outcome, EdgeUser? User)> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            // Spend the same work as a real check so timing does not reveal which names exist.
            s_hasher.VerifyHashedPassword(new EdgeUser(), s_dummyHash, password);
            return (SignInOutcome.WrongCredentials, null);
        }

        var now = timeProvider.GetUtcNow();
        if (user.LockedUntil is { } until && until > now)
        {
            return (SignInOutcome.LockedOut, null);
        }

        var verified = s_hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= options.LockoutThreshold)
            {
                user.LockedUntil = now + options.LockoutDuration;
                user.FailedLogins = 0;
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return (user.LockedUntil > now ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials, null);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = s_hasher.HashPassword(user, password);
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (SignInOutcome.Succeeded, user);
    }

    private static readonly string s_dummyHash = s_hasher.HashPassword(new EdgeUser(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
}
