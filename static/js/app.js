// Starts GOV.UK Frontend's components, and again on content htmx swaps in.
(function () {
  function start(scope) {
    if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
      window.GOVUKFrontend.initAll({ scope: scope });
    }
  }
  start(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    start(event.detail.target);
  });
})();
