using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Edge.Store;

/// <summary>Registers the edge's database for the configured provider, with OpenIddict's entities.</summary>
public static class EdgeDatabase
{
    public static IServiceCollection AddEdgeDatabase(this IServiceCollection services, EdgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ResolvedConnectionString;
        services.AddDbContext<EdgeDbContext>(db =>
        {
            if (options.DatabaseProvider == EdgeDatabaseProvider.PostgreSql)
            {
                db.UseNpgsql(connectionString);
            }
            else
            {
                db.UseSqlite(connectionString);
            }

            db.UseOpenIddict();
        });
        return services;
    }

    /// <summary>Creates the schema when the database is new.</summary>
    public static async Task EnsureCreatedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDbContext>();
        await db.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }
}
