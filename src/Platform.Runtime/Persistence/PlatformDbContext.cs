using Microsoft.EntityFrameworkCore;

namespace Platform.Runtime.Persistence;

/// <summary>EF Core context for metadata, users and audit. Record writes bypass it (see <see cref="RecordStore"/>).</summary>
public sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options)
{
    public DbSet<AppRow> Apps => Set<AppRow>();

    public DbSet<AppVersionRow> AppVersions => Set<AppVersionRow>();

    public DbSet<UserRow> Users => Set<UserRow>();


    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<AppRow>(e =>
        {
            e.ToTable("apps");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasColumnName("key");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Definition).HasColumnName("definition").HasColumnType("jsonb");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
        b.Entity<AppVersionRow>(e =>
        {
            e.ToTable("app_versions");
            e.HasKey(x => new { x.AppKey, x.Version });
            e.Property(x => x.AppKey).HasColumnName("app_key");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Definition).HasColumnName("definition").HasColumnType("jsonb");
            e.Property(x => x.PublishedAt).HasColumnName("published_at");
            e.Property(x => x.PublishedBy).HasColumnName("published_by");
        });
        b.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.UserName).HasColumnName("user_name");
            e.Property(x => x.DisplayName).HasColumnName("display_name");
            e.Property(x => x.Email).HasColumnName("email");
            e.Property(x => x.Phone).HasColumnName("phone");
            e.Property(x => x.PasswordHash).HasColumnName("password_hash");
            e.Property(x => x.Roles).HasColumnName("roles");
            e.Property(x => x.IsActive).HasColumnName("is_active");
            e.Property(x => x.Department).HasColumnName("department");
            e.Property(x => x.IsExternal).HasColumnName("is_external");
            e.Property(x => x.SecurityStamp).HasColumnName("security_stamp");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
    }
}
