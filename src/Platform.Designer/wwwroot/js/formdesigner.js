// Form designer drag and drop (HTML5): palette items ([data-palette-type]) and placed fields ([data-field-key]) are dragged
// onto section drop zones ([data-drop-section]); the drop's section and index go to .NET, which changes the model and re-renders.
// Listeners sit on the designer's root element, so Blazor may re-render its children freely.

const attached = new WeakMap();

function indexAt(zone, x, y) {
  const items = [...zone.querySelectorAll(':scope > [data-field-key]')].filter(el => !el.classList.contains('fd-dragging'));
  for (let i = 0; i < items.length; i++) {
    const r = items[i].getBoundingClientRect();
    if (y < r.top) return i;
    if (y <= r.bottom && x < r.left + r.width / 2) return i;
  }
  return items.length;
}

function clearMarks(root) {
  root.querySelectorAll('.fd-drop-over').forEach(el => el.classList.remove('fd-drop-over'));
}

export function init(root, dotnet) {
  if (attached.has(root)) return;
  let payload = null;
  const handlers = {
    dragstart: e => {
      const palette = e.target.closest('[data-palette-type]');
      const field = e.target.closest('[data-field-key]');
      if (palette) {
        payload = 'new:' + palette.dataset.paletteType;
        e.dataTransfer.effectAllowed = 'copy';
      } else if (field) {
        payload = 'move:' + field.dataset.fieldKey;
        e.dataTransfer.effectAllowed = 'move';
        setTimeout(() => field.classList.add('fd-dragging'), 0);
      } else {
        return;
      }
      e.dataTransfer.setData('text/plain', payload);
    },
    dragover: e => {
      const zone = e.target.closest('[data-drop-section]');
      if (!zone || !payload) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = payload.startsWith('new:') ? 'copy' : 'move';
      if (!zone.classList.contains('fd-drop-over')) {
        clearMarks(root);
        zone.classList.add('fd-drop-over');
      }
    },
    dragleave: e => {
      const zone = e.target.closest('[data-drop-section]');
      if (zone && !zone.contains(e.relatedTarget)) zone.classList.remove('fd-drop-over');
    },
    drop: e => {
      const zone = e.target.closest('[data-drop-section]');
      const data = payload || e.dataTransfer.getData('text/plain');
      if (!zone || !data) return;
      e.preventDefault();
      const index = indexAt(zone, e.clientX, e.clientY);
      clearMarks(root);
      payload = null;
      dotnet.invokeMethodAsync('OnDrop', data, zone.dataset.dropSection, index);
    },
    dragend: () => {
      payload = null;
      clearMarks(root);
      root.querySelectorAll('.fd-dragging').forEach(el => el.classList.remove('fd-dragging'));
    },
  };
  for (const [name, handler] of Object.entries(handlers)) root.addEventListener(name, handler);
  attached.set(root, handlers);
  root.dataset.dndReady = 'true';
}

export function dispose(root) {
  const handlers = attached.get(root);
  if (!handlers) return;
  for (const [name, handler] of Object.entries(handlers)) root.removeEventListener(name, handler);
  attached.delete(root);
}
