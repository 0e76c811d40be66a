using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Data;

/// <summary>The portal's one DbContext. The schema is built by the SQL scripts in Migrations/, never by EF.</summary>
public sealed class DerogationDbContext(DbContextOptions<DerogationDbContext> options) : DbContext(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DerogationDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
