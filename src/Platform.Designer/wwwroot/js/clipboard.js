// Copies text for the copy buttons; false when the browser refuses (no secure context), so the page can say so.
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
