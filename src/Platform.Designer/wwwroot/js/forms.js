// Small helpers of the generated record forms.

// Copies text to the clipboard; falls back to a selected textarea where the Clipboard API is missing (older WeChat).
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) { /* fall through */ }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  document.body.removeChild(area);
  return ok;
}

// Scrolls the first error of a form (its summary) into view.
export function scrollToErrors(id) {
  const el = document.getElementById(id) || document.querySelector('.rf-invalid');
  if (el) {
    el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
}
