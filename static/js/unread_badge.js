// Fills the navbar's unread badge after the page has loaded, so a page render costs no query for it.
(function () {
  const badge = document.getElementById("unread-badge");
  if (!badge || !window.fetch) return;
  fetch(badge.dataset.src, { credentials: "same-origin" })
    .then((response) => (response.ok && !response.redirected ? response.text() : ""))
    .then((html) => {
      badge.innerHTML = html;
    })
    .catch(() => {});
})();
