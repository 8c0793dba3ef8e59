// Submits a form when one of its fields marked data-submit-on-change changes (the language switch), in place of
// an inline onchange= handler, which the Content-Security-Policy forbids.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});
