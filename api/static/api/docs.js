// Starts Swagger UI on the schema named by the page; kept in a file of its own because
// the portal's Content Security Policy runs no inline script.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  if (!container || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: container.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // Only what the portal serves: no call to an outside validator.
    validatorUrl: null,
    supportedSubmitMethods: ["get", "head"]
  });
})();
