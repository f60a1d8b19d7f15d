// Runs first in <body>: marks the page as scripted so GOV.UK Frontend styles its components.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
