using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Platform.Runtime.Security;

namespace Platform.Runtime.Ui;

/// <summary>
/// A circuit lives as long as its tab; every <see cref="Hosting.AccountSettings.CircuitCheckSeconds"/> it asks <see cref="SessionGuard"/> whether its sign-in still stands
/// (logout elsewhere, password change, deactivation, revoke all) and turns anonymous when not — the page then goes to login.
/// </summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SessionGuard sessions, Hosting.PlatformSettings settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, settings.Accounts.CircuitCheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true || await sessions.IsValidAsync(authenticationState.User, cancellationToken);
}
