// Starts Swagger UI on the API's own OpenAPI document (an external file: the site's CSP allows
// no inline script).
window.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("swagger-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
});
