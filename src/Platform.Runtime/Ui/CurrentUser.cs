using Microsoft.AspNetCore.Components.Authorization;

namespace Platform.Runtime.Ui;

/// <summary>The signed-in user of the current circuit (the name the API would record as <c>by</c>).</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> NameAsync() => Api.RecordsEndpoints.UserName(await PrincipalAsync());
}
