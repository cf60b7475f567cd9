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

// Money in charts, the way the server's money filter writes it (openkam_ui.money): 万 / 亿 in
// Chinese (two decimals in tooltips), K / M / B in English (one decimal), the currency as a
// sign; axes drop the sign and keep one decimal. Every chart script formats money here.
(function () {
  "use strict";
  function chinese() {
    return (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
  }
  function compact(value, digits) {
    return new Intl.NumberFormat(chinese() ? "zh-CN" : "en", {
      notation: "compact",
      maximumFractionDigits: digits,
    }).format(value);
  }
  window.OpenKAM.money = function (value) {
    if (value == null || value === "" || isNaN(Number(value))) return "—";
    var amount = Number(value);
    var symbol = document.documentElement.dataset.currencySymbol || "¥";
    return (amount < 0 ? "-" : "") + symbol + compact(Math.abs(amount), chinese() ? 2 : 1);
  };
  window.OpenKAM.moneyAxis = function (value) {
    return compact(value, 1);
  };
  window.OpenKAM.number = function (value) {
    return new Intl.NumberFormat(chinese() ? "zh-CN" : "en", { maximumFractionDigits: 0 }).format(value);
  };
})();
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

// Behaviour that pages used to carry inline, here so the Content-Security-Policy can refuse
// every inline script (script-src 'self'): markup asks for it with data- attributes.
(function () {
  "use strict";

  // Download links re-read the list's filters from the address bar, which htmx changes
  // without reloading the page (includes/export_buttons.html).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-okam-export]");
    if (!link) return;
    var query = new URLSearchParams(window.location.search);
    query.delete("page");
    var text = query.toString();
    link.href = link.href.split("?")[0] + (text ? "?" + text : "");
  });

  // "Go back" links (the 400 page).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-okam-back]");
    if (!link) return;
    event.preventDefault();
    window.history.back();
  });

  // A field whose whole text is selected on focus (a new API token's secret).
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-okam-select-on-focus]")) {
      event.target.select();
    }
  });

  // Copy buttons: data-okam-copy names the field to copy, data-okam-copied the word shown after.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-okam-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-okam-copy"));
    if (!field || !navigator.clipboard) return;
    navigator.clipboard.writeText(field.value).then(function () {
      var label = button.querySelector("span");
      if (label) label.textContent = button.getAttribute("data-okam-copied") || "";
    }, function () {
      field.select(); // the browser refused the clipboard: the secret is selected to copy by hand
    });
  });

  // Enter on a clickable cell (role="button") opens it as a click does: htmx's own trigger
  // filter (keyup[key=='Enter']) would need eval, which the policy forbids.
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Enter") return;
    var cell = event.target.closest && event.target.closest("[data-okam-enter-clicks]");
    if (cell && cell === event.target) cell.click();
  });

  // Cancel on a form shown in place (an account tab's add or edit form): the form goes away;
  // without JavaScript the link leads back to the account page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-okam-dismiss]");
    if (!link) return;
    var shown = link.closest(link.getAttribute("data-okam-dismiss"));
    if (!shown) return;
    event.preventDefault();
    shown.remove();
  });

  // A searchable checklist (the participants of an interaction): typing hides the choices
  // whose label does not contain the text; checked choices always stay in view.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-okam-filter-list]")) return;
    var list = document.getElementById(box.getAttribute("data-okam-filter-list"));
    if (!list) return;
    var text = box.value.trim().toLowerCase();
    list.querySelectorAll("label").forEach(function (choice) {
      var input = choice.querySelector("input");
      var shown = !text || (input && input.checked) ||
        choice.textContent.toLowerCase().indexOf(text) !== -1;
      choice.classList.toggle("d-none", !shown);
    });
  });

  // Forms that ask before they are sent: data-okam-confirm holds the question.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-okam-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
