// Moves and resizes dashboard widgets on the 12-column grid by dragging: [data-move-handle] moves, [data-resize-handle]
// resizes. A ghost shows the target cells while dragging; on release .NET gets OnWidgetPlaced(key, x, y, w, h).
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

export function init(grid, dotnet, rowHeight, gap) {
  if (!grid || grid._platformGrid) return;
  grid._platformGrid = true;
  grid.addEventListener('pointerdown', e => {
    const handle = e.target.closest?.('[data-move-handle],[data-resize-handle]');
    if (!handle || e.target.closest('button:not([data-move-handle])')) return;
    const widget = handle.closest('[data-widget]');
    if (!widget) return;
    const resize = handle.hasAttribute('data-resize-handle');
    const rect = grid.getBoundingClientRect();
    const colWidth = (rect.width - gap * 11) / 12;
    const start = { x: e.clientX, y: e.clientY };
    const from = { x: +widget.dataset.x, y: +widget.dataset.y, w: +widget.dataset.w, h: +widget.dataset.h };
    const to = { ...from };
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const ghost = document.createElement('div');
    ghost.className = 'platform-grid-ghost';
    ghost.dataset.testid = 'grid-ghost';
    grid.appendChild(ghost);
    grid.classList.add('platform-grid-editing');
    const place = () => {
      ghost.style.gridColumn = `${to.x + 1} / span ${to.w}`;
      ghost.style.gridRow = `${to.y + 1} / span ${to.h}`;
      ghost.textContent = `x ${to.x}  y ${to.y}  ·  ${to.w} × ${to.h}`;
    };
    place();
    const move = ev => {
      const dc = Math.round((ev.clientX - start.x) / (colWidth + gap));
      const dr = Math.round((ev.clientY - start.y) / (rowHeight + gap));
      if (resize) {
        to.w = clamp(from.w + dc, 1, 12 - from.x);
        to.h = clamp(from.h + dr, 1, 24);
      } else {
        to.x = clamp(from.x + dc, 0, 12 - from.w);
        to.y = Math.max(0, from.y + dr);
      }
      place();
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      ghost.remove();
      grid.classList.remove('platform-grid-editing');
      if (to.x !== from.x || to.y !== from.y || to.w !== from.w || to.h !== from.h) {
        dotnet.invokeMethodAsync('OnWidgetPlaced', widget.dataset.widget, to.x, to.y, to.w, to.h);
      }
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
}
