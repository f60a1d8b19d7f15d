// Starts GOV.UK Frontend's components and the indicator autocomplete, and again on content
// that htmx swaps in. Every page works without this file.
(function () {
  function enhanceSelects(scope) {
    if (!window.accessibleAutocomplete) return;
    scope.querySelectorAll('select[data-module="laa-autocomplete"]').forEach(function (select) {
      window.accessibleAutocomplete.enhanceSelectElement({
        selectElement: select,
        defaultValue: "",
        showAllValues: true,
        dropdownArrow: function () { return ""; },
      });
    });
  }
  function start(scope) {
    if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
      window.GOVUKFrontend.initAll({ scope: scope });
    }
    enhanceSelects(scope);
  }
  start(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    start(event.detail.target);
  });
})();
