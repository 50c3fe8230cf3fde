// The customer session cookie is HttpOnly: the page hands the token it just got to the server, which sets the cookie,
// so a reload (or the next visit within the session) finds the customer still verified. Script never reads it back.
export async function remember(app, token) {
  try {
    const response = await fetch(`/api/public/apps/${encodeURIComponent(app)}/session`, {
      method: 'POST', credentials: 'same-origin', headers: { 'X-Customer-Session': token },
    });
    return response.ok;
  } catch {
    return false;
  }
}

export async function forget(app) {
  try {
    await fetch(`/api/public/apps/${encodeURIComponent(app)}/session`, { method: 'DELETE', credentials: 'same-origin' });
  } catch {
    /* offline: the cookie runs out by itself */
  }
}
