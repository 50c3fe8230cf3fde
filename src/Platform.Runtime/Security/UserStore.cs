using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Security;

/// <summary>Users and their passwords (hashed with Identity's <see cref="PasswordHasher{TUser}"/>).</summary>
public sealed class UserStore(IDbContextFactory<PlatformDbContext> contexts, IPasswordHasher<UserRow> hasher, TimeProvider time)
{
    public async Task<UserRow?> FindAsync(string userName, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName, ct);
    }

    /// <summary>Returns the user when the password matches and the account is active; rehashes outdated hashes.</summary>
    public async Task<UserRow?> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
        {
            // Spend the same time as a real check so user names cannot be probed by timing.
            hasher.VerifyHashedPassword(DummyUser, DummyHash, password);
            return null;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || !user.IsActive)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }

        return user;
    }

    public async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(ct);
    }

    /// <summary>Creates the user unless one with that name exists; returns whether it was created.</summary>
    public async Task<bool> CreateAsync(
        string userName, string displayName, string password, IReadOnlyList<string> roles, CancellationToken ct, string? phone = null, string? email = null,
        string? department = null, bool isExternal = false)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct))
        {
            return false;
        }

        var user = new UserRow
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            DisplayName = displayName,
            PasswordHash = string.Empty,
            Roles = [.. roles],
            Phone = phone,
            Email = email,
            Department = department,
            IsExternal = isExternal,
            CreatedAt = time.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
    }

    /// <summary>Sets a new password and a new security stamp (every token and cookie of the user ends); null when there is no such user.</summary>
    public async Task<UserRow?> SetPasswordAsync(string userName, string password, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
        {
            return null;
        }

        user.PasswordHash = hasher.HashPassword(user, password);
        user.SecurityStamp = UserRow.NewSecurityStamp();
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Activates or deactivates a user; deactivating also changes the security stamp. False when there is no such user.</summary>
    public async Task<bool> SetActiveAsync(string userName, bool active, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
        {
            return false;
        }

        user.IsActive = active;
        if (!active)
        {
            user.SecurityStamp = UserRow.NewSecurityStamp();
        }

        await db.SaveChangesAsync(ct);
        return true;
    }

    private static readonly UserRow DummyUser = new() { UserName = "-", DisplayName = "-", PasswordHash = "-" };

    private static readonly string DummyHash = new PasswordHasher<UserRow>().HashPassword(DummyUser, Guid.NewGuid().ToString());
}
