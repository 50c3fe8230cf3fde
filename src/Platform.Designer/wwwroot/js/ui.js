// Small page helpers called through JS interop without a module import (no object reference kept per circuit).
window.platformUi = {
  // Marks a prerendered element once its page is interactive, without rendering the page again.
  setAttribute(element, name, value) {
    if (element) element.setAttribute(name, value);
  },
};
