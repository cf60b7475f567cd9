// Behaviour shared by every page; charts live in charts.js.

// The one escape for text from the database that reaches HTML built in JavaScript (an ECharts
// tooltip is HTML): a name like <img onerror=...> must read as text, never run. Every chart
// script calls it at render time, so it only has to exist before the first hover.
window.OpenKAM = window.OpenKAM || {};
window.OpenKAM.escapeHtml = function (value) {
  "use strict";
  var entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  return String(value == null ? "" : value).replace(/[&<>"']/g, function (character) {
    return entities[character];
  });
};
(function () {
  "use strict";

  // The language switch sends the current address, which htmx may have changed since render.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("okam-language-switch")) return;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search + window.location.hash;
  });

  // Tabs follow the address hash, so a link or a reload can open a given tab.
  function showTabFromHash() {
    if (!window.location.hash) return;
    var link = document.querySelector('[data-bs-toggle="tab"][href="' + window.location.hash + '"]');
    if (link && !link.classList.contains("active")) link.click();
  }
  document.addEventListener("DOMContentLoaded", showTabFromHash);
  window.addEventListener("hashchange", showTabFromHash);
  document.addEventListener("shown.bs.tab", function (event) {
    var href = event.target.getAttribute("href");
    if (href && href.charAt(0) === "#") history.replaceState(null, "", href);
  });
})();

// Filter forms send only the filters in use, so the address htmx pushes stays readable.
document.addEventListener("htmx:configRequest", function (event) {
  "use strict";
  var form = event.detail.elt;
  if (!form.classList || !form.classList.contains("okam-filters")) return;
  var parameters = event.detail.parameters;
  Object.keys(parameters).forEach(function (name) {
    if (parameters[name] === "") delete parameters[name];
  });
});

// A part of a page loaded on demand (an account tab) that fails says so instead of spinning.
["htmx:responseError", "htmx:sendError"].forEach(function (name) {
  "use strict";
  document.addEventListener(name, function (event) {
    var elt = event.detail.elt;
    if (!elt.classList || !elt.classList.contains("okam-lazy")) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-warning my-3";
    alert.setAttribute("role", "alert");
    alert.textContent = elt.getAttribute("data-error") || "";
    elt.replaceChildren(alert);
  });
});
