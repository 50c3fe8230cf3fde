// Small browser-side memory of UI choices (record list columns), kept in localStorage.
export function get(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

export function set(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* private mode: not remembered */ }
}
