// Draws echarts options produced on the server and reports clicks back to .NET (drill-down).
let loading;

function ensureECharts() {
  if (window.echarts) return Promise.resolve();
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '_content/Platform.Designer/lib/echarts.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('echarts failed to load'));
    document.head.appendChild(script);
  });
  return loading;
}

export async function render(element, optionJson, dotnet) {
  await ensureECharts();
  const chart = window.echarts.getInstanceByDom(element) ?? window.echarts.init(element, null, { renderer: 'canvas' });
  chart.setOption(JSON.parse(optionJson), true);
  chart.off('click');
  chart.on('click', p => {
    chart.dispatchAction({ type: 'hideTip' });
    dotnet.invokeMethodAsync('OnPointClick', p.seriesIndex ?? 0, p.dataIndex ?? 0);
  });
  if (!element._platformResize) {
    element._platformResize = new ResizeObserver(() => chart.resize());
    element._platformResize.observe(element);
  }
  element.dataset.rendered = 'true';
}

export function dispose(element) {
  element?._platformResize?.disconnect();
  const chart = window.echarts?.getInstanceByDom(element);
  chart?.dispose();
}
