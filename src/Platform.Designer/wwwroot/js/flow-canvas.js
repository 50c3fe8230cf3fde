// The flow designer's canvas over @antv/x6 3 (global X6 from lib/x6.min.js; Dnd, Keyboard and Snapline are built in).
// .NET owns the flow definition; this module draws it and reports what the analyst does:
//   to .NET:  OnNodeAdded(id, type, x, y), OnNodeMoved(id, x, y), OnNodeDeleted(id), OnNodeSelected(id),
//             OnEdgeAdded(source, target), OnEdgeDeleted(source, target), OnEdgeSelected(source, target), OnBlankSelected()
//   from .NET: load(graph), updateNode, updateEdge, markProblems, highlightPath, clearHighlight, select, zoom, fit.
// Positions are node centres, so a definition's layout does not depend on how big this canvas draws a node.
let loading;

function ensureX6() {
  if (window.X6) return Promise.resolve();
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '_content/Platform.Designer/lib/x6.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('x6 failed to load'));
    document.head.appendChild(script);
  });
  return loading;
}

const SIZES = { task: [148, 50], round: [52, 52], diamond: [60, 60] };
const PROBLEM = '#d32f2f';
const PATH = '#2e7d32';
let registered = false;

function ports() {
  const circle = { r: 5, magnet: true, stroke: '#5f95ff', strokeWidth: 1.5, fill: '#fff', style: { visibility: 'hidden' } };
  const group = position => ({ position, attrs: { circle } });
  return {
    groups: { top: group('top'), right: group('right'), bottom: group('bottom'), left: group('left') },
    items: [{ id: 'top', group: 'top' }, { id: 'right', group: 'right' }, { id: 'bottom', group: 'bottom' }, { id: 'left', group: 'left' }],
  };
}

function register() {
  if (registered) return;
  registered = true;
  const { Graph } = window.X6;
  const badge = { ref: 'body', refX: '100%', refY: 0, x: -6, y: -6, r: 9, fill: PROBLEM, stroke: '#fff', strokeWidth: 1.5, display: 'none' };
  const badgeText = { ref: 'badge', refX: 0.5, refY: 0.5, textAnchor: 'middle', textVerticalAnchor: 'middle', fill: '#fff', fontSize: 12, fontWeight: 700, text: '!', display: 'none', pointerEvents: 'none' };
  Graph.registerNode('flow-task', {
    inherit: 'rect',
    width: SIZES.task[0],
    height: SIZES.task[1],
    markup: [
      { tagName: 'rect', selector: 'body' },
      { tagName: 'rect', selector: 'accent' },
      { tagName: 'text', selector: 'icon' },
      { tagName: 'text', selector: 'label' },
      { tagName: 'circle', selector: 'badge' },
      { tagName: 'text', selector: 'badgeText' },
    ],
    attrs: {
      body: { refWidth: '100%', refHeight: '100%', rx: 8, ry: 8, fill: '#fff', strokeWidth: 1.5 },
      accent: { refHeight: '100%', width: 6, rx: 3, ry: 3, pointerEvents: 'none' },
      icon: { refX: 24, refY: 0.5, textAnchor: 'middle', textVerticalAnchor: 'middle', fontSize: 18, pointerEvents: 'none' },
      label: { refX: 42, refY: 0.5, textAnchor: 'start', textVerticalAnchor: 'middle', fontSize: 13, fill: '#262626', pointerEvents: 'none',
        textWrap: { width: -50, height: -8, ellipsis: true } },
      badge,
      badgeText,
    },
    ports: ports(),
  }, true);
  const under = { refX: 0.5, refY: '100%', y: 8, textAnchor: 'middle', textVerticalAnchor: 'top', fontSize: 13, fill: '#262626', pointerEvents: 'none',
    textWrap: { width: 120, height: 36, ellipsis: true } };
  Graph.registerNode('flow-round', {
    inherit: 'circle',
    width: SIZES.round[0],
    height: SIZES.round[1],
    markup: [
      { tagName: 'circle', selector: 'body' },
      { tagName: 'text', selector: 'icon' },
      { tagName: 'text', selector: 'label' },
      { tagName: 'circle', selector: 'badge' },
      { tagName: 'text', selector: 'badgeText' },
    ],
    attrs: {
      body: { refCx: 0.5, refCy: 0.5, refR: 0.5, strokeWidth: 2 },
      icon: { refX: 0.5, refY: 0.5, textAnchor: 'middle', textVerticalAnchor: 'middle', fontSize: 18, fill: '#fff', pointerEvents: 'none' },
      label: under,
      badge,
      badgeText,
    },
    ports: ports(),
  }, true);
  Graph.registerNode('flow-diamond', {
    inherit: 'polygon',
    width: SIZES.diamond[0],
    height: SIZES.diamond[1],
    markup: [
      { tagName: 'polygon', selector: 'body' },
      { tagName: 'text', selector: 'icon' },
      { tagName: 'text', selector: 'label' },
      { tagName: 'circle', selector: 'badge' },
      { tagName: 'text', selector: 'badgeText' },
    ],
    attrs: {
      body: { refPoints: '0,10 10,0 20,10 10,20', strokeWidth: 2 },
      icon: { refX: 0.5, refY: 0.5, textAnchor: 'middle', textVerticalAnchor: 'middle', fontSize: 22, fontWeight: 700, fill: '#fff', pointerEvents: 'none' },
      label: under,
      badge,
      badgeText,
    },
    ports: ports(),
  }, true);
  Graph.registerEdge('flow-edge', {
    inherit: 'edge',
    attrs: { line: { stroke: '#8c8c8c', strokeWidth: 1.5, targetMarker: { name: 'block', width: 10, height: 7 } } },
    router: { name: 'manhattan', args: { padding: 16 } },
    connector: { name: 'rounded', args: { radius: 8 } },
    zIndex: 0,
  }, true);
}

function kindOf(types, type) {
  return types[type] ?? { shape: 'task', color: '#8c8c8c', icon: '?', label: type };
}

// The one place a node's look is computed from its data: type colour, selection, problems, the simulated path.
function styleNode(node) {
  const d = node.getData() ?? {};
  const kind = d.kind;
  const color = kind.color;
  const onPath = d.onPath === true;
  const problem = (d.problems ?? []).length > 0;
  const stroke = problem ? PROBLEM : onPath ? PATH : color;
  const width = d.selected ? 3.5 : problem || onPath ? 2.5 : kind.shape === 'task' ? 1.5 : 2;
  const body = {
    stroke,
    strokeWidth: width,
    strokeDasharray: d.selected ? '6 3' : null,
    'data-problem': problem ? 'true' : 'false',
    'data-path': onPath ? 'true' : 'false',
    'data-selected': d.selected ? 'true' : 'false',
  };
  if (kind.shape === 'task') {
    body.fill = onPath ? '#f0faf0' : '#fff';
    node.setAttrs({ body, accent: { fill: color }, icon: { text: kind.icon, fill: color }, label: { text: d.label } });
  } else {
    body.fill = color;
    node.setAttrs({ body, icon: { text: kind.icon }, label: { text: d.label, fontWeight: onPath ? 700 : 400, fill: onPath ? PATH : '#262626' } });
  }
  node.setAttrs({ badge: { display: problem ? null : 'none' }, badgeText: { display: problem ? null : 'none' } });
}

function styleEdge(edge) {
  const d = edge.getData() ?? {};
  const problem = (d.problems ?? []).length > 0;
  const stroke = problem ? PROBLEM : d.onPath ? PATH : d.selected ? '#1677ff' : d.dimmed ? '#d9d9d9' : '#8c8c8c';
  edge.setAttrs({
    line: {
      stroke,
      strokeWidth: d.onPath || d.selected ? 3 : 1.5,
      strokeDasharray: d.isDefault ? '8 4' : null,
      'data-path': d.onPath ? 'true' : 'false',
      'data-problem': problem ? 'true' : 'false',
    },
  });
  const text = d.label ?? '';
  edge.setLabels(text ? [{
    attrs: {
      label: { text, fill: problem ? PROBLEM : d.onPath ? PATH : '#595959', fontSize: 12 },
      body: { fill: '#fff', stroke: problem ? PROBLEM : '#d9d9d9', strokeWidth: 1, rx: 4, ry: 4, refWidth: 10, refHeight: 6, refX: -5, refY: -3 },
    },
    position: { distance: 0.5 },
  }] : []);
}

function state(container) {
  const s = container._flowCanvas;
  if (!s) throw new Error('flow canvas not created');
  return s;
}

function nodeSpec(s, n) {
  const kind = kindOf(s.types, n.type);
  const [w, h] = SIZES[kind.shape];
  return {
    id: n.id,
    shape: `flow-${kind.shape}`,
    x: n.x - w / 2,
    y: n.y - h / 2,
    data: { type: n.type, kind, label: n.label, problems: [], selected: false, onPath: false },
  };
}

function edgeSpec(e) {
  return {
    shape: 'flow-edge',
    source: { cell: e.source },
    target: { cell: e.target },
    data: { label: e.label, isDefault: e.isDefault === true, problems: [] },
  };
}

function findEdge(graph, source, target) {
  return graph.getEdges().find(e => e.getSourceCellId() === source && e.getTargetCellId() === target);
}

// x6 merges data deeply (arrays by index); replace it instead.
function patch(cell, changes) {
  cell.setData({ ...(cell.getData() ?? {}), ...changes }, { overwrite: true });
}

function centre(node) {
  const b = node.getBBox();
  return [Math.round(b.x + b.width / 2), Math.round(b.y + b.height / 2)];
}

function newId(graph, type) {
  let i = 1;
  while (graph.getCellById(`${type}_${i}`)) i++;
  return `${type}_${i}`;
}

function setSelected(s, cell) {
  const previous = s.selected ? s.graph.getCellById(s.selected) : null;
  if (previous) {
    patch(previous, { selected: false });
    previous.isNode() ? styleNode(previous) : styleEdge(previous);
  }
  s.selected = cell ? cell.id : null;
  if (cell) {
    patch(cell, { selected: true });
    cell.isNode() ? styleNode(cell) : styleEdge(cell);
  }
}

function showTip(s, node) {
  const problems = node.getData()?.problems ?? [];
  if (problems.length === 0) return;
  const view = s.graph.findViewByCell(node);
  const rect = view.container.getBoundingClientRect();
  const host = s.container.getBoundingClientRect();
  s.tip.replaceChildren(...problems.map(p => Object.assign(document.createElement('div'), { textContent: p })));
  s.tip.style.left = `${rect.left - host.left}px`;
  s.tip.style.top = `${rect.bottom - host.top + 6}px`;
  s.tip.style.display = 'block';
  s.tip.dataset.node = node.id;
}

function hideTip(s) {
  s.tip.style.display = 'none';
  s.tip.dataset.node = '';
}

export async function create(container, dotnet, typesJson) {
  await ensureX6();
  register();
  const { Graph, Dnd, Keyboard, Snapline } = window.X6;
  const host = container.querySelector('[data-role=graph]');
  const types = JSON.parse(typesJson);
  const graph = new Graph({
    container: host,
    autoResize: true,
    background: { color: '#fafbfc' },
    grid: { visible: true, size: 10, type: 'dot', args: { color: '#d9d9d9' } },
    panning: { enabled: true, eventTypes: ['leftMouseDown'] },
    mousewheel: { enabled: true, modifiers: ['ctrl', 'meta'], zoomAtMousePosition: true, minScale: 0.3, maxScale: 2 },
    scaling: { min: 0.3, max: 2 },
    interacting: { edgeMovable: false, arrowheadMovable: false, vertexMovable: false, vertexAddable: false, edgeLabelMovable: false },
    connecting: {
      anchor: 'center',
      connectionPoint: 'boundary',
      allowBlank: false,
      allowLoop: false,
      allowEdge: false,
      allowNode: true,
      allowMultiple: false,
      allowPort: true,
      highlight: true,
      snap: { radius: 24 },
      createEdge() {
        // Straight while it follows the mouse (manhattan needs two cells); routed once connected.
        return this.createEdge({ shape: 'flow-edge', router: { name: 'normal' }, data: { problems: [] } });
      },
      validateConnection({ sourceCell, targetCell }) {
        if (!sourceCell || !targetCell || sourceCell === targetCell || !targetCell.isNode()) return false;
        if (targetCell.getData()?.type === 'start' || sourceCell.getData()?.type === 'end') return false;
        return true;
      },
    },
    highlighting: {
      magnetAvailable: { name: 'stroke', args: { padding: 4, attrs: { stroke: '#52c41a', strokeWidth: 2 } } },
      magnetAdsorbed: { name: 'stroke', args: { padding: 4, attrs: { stroke: '#1677ff', strokeWidth: 3 } } },
    },
  });
  const keyboard = new Keyboard({ enabled: true, global: false });
  graph.use(keyboard);
  graph.use(new Snapline({ enabled: true }));
  const tip = document.createElement('div');
  tip.className = 'flow-canvas-tip';
  tip.dataset.testid = 'flow-node-tip';
  tip.style.display = 'none';
  container.appendChild(tip);
  const s = { container, graph, dotnet, types, selected: null, hovered: null, silent: false, tip };
  container._flowCanvas = s;

  s.dnd = new Dnd({
    target: graph,
    scaled: false,
    // The dropped node gets a readable step key (approval_1, approval_2 …), which .NET keeps.
    getDropNode: dragging => {
      const json = dragging.toJSON();
      return graph.createNode({ ...json, id: newId(graph, dragging.getData().type) });
    },
    validateNode: () => true,
  });

  const notify = (method, ...args) => { if (!s.silent) dotnet.invokeMethodAsync(method, ...args); };

  graph.on('node:added', ({ node }) => {
    if (s.silent) return;
    const data = node.getData() ?? {};
    if (!data.fromPalette) return;
    patch(node, { fromPalette: false });
    styleNode(node);
    const [x, y] = centre(node);
    setSelected(s, node);
    host.focus({ preventScroll: true });
    notify('OnNodeAddedJs', node.id, data.type, x, y);
  });
  graph.on('node:moved', ({ node }) => {
    const [x, y] = centre(node);
    notify('OnNodeMovedJs', node.id, x, y);
  });
  graph.on('node:removed', ({ cell }) => {
    if (s.selected === cell.id) s.selected = null;
    hideTip(s);
    notify('OnNodeDeletedJs', cell.id);
  });
  graph.on('edge:connected', ({ isNew, edge }) => {
    if (!isNew) return;
    const source = edge.getSourceCellId();
    const target = edge.getTargetCellId();
    // Node to node, whichever port the drag started from: the definition knows only steps.
    s.silent = true;
    edge.setSource({ cell: source });
    edge.setTarget({ cell: target });
    edge.setRouter({ name: 'manhattan', args: { padding: 16 } });
    patch(edge, { problems: [], label: '' });
    styleEdge(edge);
    s.silent = false;
    notify('OnEdgeAddedJs', source, target);
  });
  graph.on('edge:removed', ({ cell }) => {
    if (s.selected === cell.id) s.selected = null;
    const source = cell.getSourceCellId?.() ?? cell.getSource()?.cell;
    const target = cell.getTargetCellId?.() ?? cell.getTarget()?.cell;
    if (source && target) notify('OnEdgeDeletedJs', source, target);
  });
  graph.on('node:click', ({ node }) => {
    host.focus({ preventScroll: true });
    setSelected(s, node);
    notify('OnNodeSelectedJs', node.id);
  });
  graph.on('edge:click', ({ edge }) => {
    host.focus({ preventScroll: true });
    setSelected(s, edge);
    notify('OnEdgeSelectedJs', edge.getSourceCellId(), edge.getTargetCellId());
  });
  graph.on('blank:click', () => {
    host.focus({ preventScroll: true });
    setSelected(s, null);
    notify('OnBlankSelectedJs');
  });
  // Hover by native events (x6's own mouseenter misses a node the mouse is already over): ports and problem tips.
  const ports = (id, visibility) =>
    host.querySelectorAll(`[data-cell-id="${CSS.escape(id)}"] .x6-port-body`).forEach(p => { p.style.visibility = visibility; });
  const leave = () => {
    if (!s.hovered) return;
    ports(s.hovered, 'hidden');
    s.hovered = null;
    hideTip(s);
  };
  host.addEventListener('mouseover', e => {
    const g = e.target.closest?.('g[data-cell-id]');
    const cell = g ? graph.getCellById(g.getAttribute('data-cell-id')) : null;
    if (!cell?.isNode()) {
      if (!e.target.closest?.('.x6-port-body')) leave();
      return;
    }
    if (s.hovered === cell.id) return;
    leave();
    s.hovered = cell.id;
    ports(cell.id, 'visible');
    showTip(s, cell);
  });
  host.addEventListener('mouseleave', leave);
  keyboard.bindKey(['delete', 'backspace'], () => {
    const cell = s.selected ? graph.getCellById(s.selected) : null;
    if (cell) graph.removeCell(cell);
    return false;
  });

  // Palette items (rendered by Blazor) start an x6 drag; the drop adds the node above.
  container.addEventListener('mousedown', e => {
    const item = e.target.closest?.('[data-step-type]');
    if (!item || e.button !== 0) return;
    e.preventDefault();
    const type = item.dataset.stepType;
    const spec = nodeSpec(s, { id: `palette-${type}-${Date.now()}`, type, label: item.dataset.stepLabel ?? type, x: 0, y: 0 });
    spec.data.fromPalette = true;
    const node = graph.createNode(spec);
    styleNode(node);
    s.dnd.start(node, e);
  });
  container.dataset.ready = 'true';
}

export function load(container, graphJson, fit) {
  const s = state(container);
  const g = JSON.parse(graphJson);
  s.silent = true;
  try {
    s.graph.resetCells([]);
    s.selected = null;
    hideTip(s);
    for (const n of g.nodes) styleNode(s.graph.addNode(nodeSpec(s, n)));
    for (const e of g.edges) {
      if (!s.graph.getCellById(e.source) || !s.graph.getCellById(e.target)) continue;
      styleEdge(s.graph.addEdge(edgeSpec(e)));
    }
  } finally {
    s.silent = false;
  }
  if (fit) fitContent(s);
  container.dataset.nodes = String(g.nodes.length);
}

function fitContent(s) {
  if (s.graph.getNodes().length === 0) return;
  s.graph.zoomToFit({ padding: 48, maxScale: 1, minScale: 0.4 });
}

export function updateNode(container, id, label) {
  const node = state(container).graph.getCellById(id);
  if (!node) return;
  patch(node, { label });
  styleNode(node);
}

export function updateEdge(container, source, target, label, isDefault) {
  const edge = findEdge(state(container).graph, source, target);
  if (!edge) return;
  patch(edge, { label, isDefault });
  styleEdge(edge);
}

// problems: { nodes: { id: [message] }, edges: [{ source, target, messages }] }
export function markProblems(container, problemsJson) {
  const s = state(container);
  const p = JSON.parse(problemsJson);
  for (const node of s.graph.getNodes()) {
    const list = p.nodes[node.id] ?? [];
    const before = node.getData()?.problems ?? [];
    if (before.join('\n') !== list.join('\n')) {
      patch(node, { problems: list });
      styleNode(node);
    }
  }
  for (const edge of s.graph.getEdges()) {
    const found = p.edges.find(e => e.source === edge.getSourceCellId() && e.target === edge.getTargetCellId());
    const list = found?.messages ?? [];
    patch(edge, { problems: list });
    styleEdge(edge);
  }
  container.dataset.problems = String(Object.keys(p.nodes).length + p.edges.length);
  // The node under the mouse shows its problems as they change (a node just dropped is under the mouse already).
  hideTip(s);
  const hovered = s.hovered ? s.graph.getCellById(s.hovered) : null;
  if (hovered) showTip(s, hovered);
}

// The steps a simulation passed, in order: nodes and the edges between consecutive ones turn green.
export function highlightPath(container, stepsJson) {
  const s = state(container);
  const steps = JSON.parse(stepsJson);
  const on = new Set(steps);
  const pairs = new Set();
  for (let i = 1; i < steps.length; i++) pairs.add(`${steps[i - 1]}\u0000${steps[i]}`);
  for (const node of s.graph.getNodes()) {
    patch(node, { onPath: on.has(node.id) });
    styleNode(node);
  }
  for (const edge of s.graph.getEdges()) {
    const onPath = pairs.has(`${edge.getSourceCellId()}\u0000${edge.getTargetCellId()}`);
    patch(edge, { onPath, dimmed: !onPath });
    styleEdge(edge);
  }
  container.dataset.path = steps.join(',');
}

export function clearHighlight(container) {
  const s = state(container);
  for (const node of s.graph.getNodes()) {
    patch(node, { onPath: false });
    styleNode(node);
  }
  for (const edge of s.graph.getEdges()) {
    patch(edge, { onPath: false, dimmed: false });
    styleEdge(edge);
  }
  container.dataset.path = '';
}

export function select(container, id) {
  const s = state(container);
  const cell = id ? s.graph.getCellById(id) : null;
  setSelected(s, cell);
  if (cell?.isNode()) s.graph.centerCell(cell, { animation: { duration: 200 } });
}

export function zoom(container, factor) {
  const s = state(container);
  if (factor === 0) {
    fitContent(s);
  } else {
    s.graph.zoom(factor, { minScale: 0.3, maxScale: 2 });
  }
}

export function dispose(container) {
  const s = container?._flowCanvas;
  if (!s) return;
  s.dnd?.dispose?.();
  s.graph.dispose();
  container._flowCanvas = null;
}

// Saves text as a file (the flow's JSON export).
export function download(name, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
