using Microsoft.EntityFrameworkCore;

namespace AgentFabric.Edge.Store;

/// <summary>The edge's database: OpenIddict's applications, authorizations, scopes and tokens, plus the users.</summary>
public sealed class EdgeDbContext(DbContextOptions<EdgeDbContext> options) : DbContext(options)
{
    public DbSet<EdgeUser> Users => Set<EdgeUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<EdgeUser>(user =>
        {
            user.ToTable("EdgeUsers");
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.UserName).HasMaxLength(256);
            // DateTimeOffset is stored as ticks so SQLite can compare it.
            user.Property(u => u.LockedUntil).HasConversion(v => v.HasValue ? v.Value.UtcTicks : (long?)null,
                v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
            user.Property(u => u.Created).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
    }
}
