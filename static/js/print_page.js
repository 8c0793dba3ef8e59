// Prints the page from a button marked data-print, in place of an inline onclick= handler, which the
// Content-Security-Policy forbids.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
