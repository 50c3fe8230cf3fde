// Small page helpers called through JS interop without a module import (no object reference kept per circuit).
window.platformUi = {
  // Marks a prerendered element once its page is interactive, without rendering the page again.
  setAttribute(element, name, value) {
    if (element) element.setAttribute(name, value);
  },
  // A generated record form is interactive: flag it and enable its save button (RecordForm renders both from `ready`
  // afterwards).
  formReady(form) {
    if (!form) return;
    form.setAttribute('data-ready', 'true');
    const submit = form.querySelector(':scope > .rf-actions > [data-rf-submit]');
    if (submit) submit.disabled = false;
  },
};

// The staff layout's drawer (MainLayout), as MudDrawer's responsive variant behaves: open on screens of 960 px and wider,
// closed below, where it opens over the page and closes on the overlay or a menu link. Only classes change here; the
// server renders them once and never changes them, so its later renders keep what is set here. Its first interactive
// render does replace the prerendered layout with new elements, though, so the state lives here and is set again on
// whichever layout is in the page (a click while the circuit starts is kept).
(() => {
  const wide = window.matchMedia('(min-width: 960px)');
  let chosen = null; // null until the user or the viewport decides; then true (open) or false (closed)
  const parts = layout => ({
    layout,
    drawer: layout.querySelector(':scope > .mud-drawer'),
    overlay: layout.querySelector(':scope > [data-drawer-overlay]'),
  });
  const isOpen = ({ drawer }) =>
    drawer.classList.contains('mud-drawer--open') && !(drawer.classList.contains('mud-drawer--initial') && !wide.matches);
  const setOpen = ({ layout, drawer, overlay }, open) => {
    drawer.classList.remove('mud-drawer--initial');
    overlay?.classList.remove('mud-drawer--initial');
    drawer.classList.toggle('mud-drawer--open', open);
    drawer.classList.toggle('mud-drawer--closed', !open);
    overlay?.classList.toggle('mud-drawer-overlay--open', open);
    layout.classList.toggle('mud-drawer-open-responsive-md-left', open);
    layout.classList.toggle('mud-drawer-close-responsive-md-left', !open);
  };
  const layouts = () => document.querySelectorAll('.mud-layout[data-light-layout]');
  const choose = open => {
    chosen = open;
    for (const layout of layouts()) {
      const p = parts(layout);
      if (p.drawer) setOpen(p, open);
    }
  };
  document.addEventListener('click', e => {
    const layout = e.target.closest?.('.mud-layout[data-light-layout]');
    if (!layout) return;
    const p = parts(layout);
    if (!p.drawer) return;
    if (e.target.closest('[data-drawer-toggle]')) {
      choose(!isOpen(p));
    } else if (e.target.closest('[data-drawer-overlay]') || (!wide.matches && e.target.closest('.mud-drawer a[href]'))) {
      choose(false);
    }
  });
  wide.addEventListener('change', () => choose(wide.matches));
  // Only the layout's own elements are compared, once per batch of DOM changes, and only after a choice was made.
  new MutationObserver(() => {
    if (chosen === null) return;
    for (const layout of layouts()) {
      const p = parts(layout);
      if (p.drawer && (p.drawer.classList.contains('mud-drawer--initial') || isOpen(p) !== chosen)) setOpen(p, chosen);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
