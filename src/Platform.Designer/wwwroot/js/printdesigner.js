// The print template designer: a placeholder picked from the list goes in at the textarea's cursor.
export function insertAtCursor(selector, text) {
  const el = document.querySelector(selector);
  if (!el) {
    return null;
  }

  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  el.value = el.value.slice(0, start) + text + el.value.slice(end);
  el.selectionStart = el.selectionEnd = start + text.length;
  el.focus();
  return el.value;
}
