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
