// HTML5 drag-and-drop for the designers: items carry data-drag-field, targets data-drop-zone. Events are delegated
// from one root so re-rendered children keep working; a drop calls OnFieldDropped(zone, field) on .NET.
export function init(root, dotnet) {
  if (!root || root._platformDnd) return;
  root._platformDnd = true;
  root.addEventListener('dragstart', e => {
    const item = e.target.closest?.('[data-drag-field]');
    if (!item) return;
    e.dataTransfer.setData('text/plain', item.dataset.dragField);
    e.dataTransfer.effectAllowed = 'copy';
    root.classList.add('platform-dragging');
  });
  root.addEventListener('dragend', () => {
    root.classList.remove('platform-dragging');
    root.querySelectorAll('.platform-drop-over').forEach(z => z.classList.remove('platform-drop-over'));
  });
  root.addEventListener('dragover', e => {
    const zone = e.target.closest?.('[data-drop-zone]');
    if (!zone) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('platform-drop-over');
  });
  root.addEventListener('dragleave', e => {
    const zone = e.target.closest?.('[data-drop-zone]');
    if (zone && !zone.contains(e.relatedTarget)) zone.classList.remove('platform-drop-over');
  });
  root.addEventListener('drop', e => {
    const zone = e.target.closest?.('[data-drop-zone]');
    if (!zone) return;
    e.preventDefault();
    zone.classList.remove('platform-drop-over');
    root.classList.remove('platform-dragging');
    const field = e.dataTransfer.getData('text/plain');
    if (field) dotnet.invokeMethodAsync('OnFieldDropped', zone.dataset.dropZone, field);
  });
}
