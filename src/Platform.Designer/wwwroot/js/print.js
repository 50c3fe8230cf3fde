// The print page's button (GET /api/apps/{app}/print/{template}): its CSP allows this same-origin file and no inline script.
document.getElementById('print-button')?.addEventListener('click', () => window.print());
