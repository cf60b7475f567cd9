// The company's target split to the teams (performance/company_split.html): the remainder of
// the typed amounts kept current as they are typed, and the suggested split taken in one click.
(function () {
  "use strict";

  function amount(text) {
    var cleaned = String(text || "").replace(/[,，\s]/g, "");
    if (!cleaned) return 0;
    var value = Number(cleaned);
    return isFinite(value) ? value : NaN;
  }

  function setUp(form) {
    var parts = Array.prototype.slice.call(form.querySelectorAll("[data-split-part]"));
    var total = form.querySelector("[data-split-total]");
    var left = form.querySelector("[data-split-left]");
    var whole = form.dataset.whole === "1";
    function show() {
      if (!left || !total) return;
      var sum = 0;
      var bad = false;
      parts.forEach(function (input) {
        var value = amount(input.value);
        if (isNaN(value)) bad = true;
        else sum += value;
      });
      var company = amount(total.value);
      if (bad || isNaN(company) || !total.value) {
        left.textContent = "—";
        return;
      }
      var rest = Math.round((company - sum) * 100) / 100;
      // Within half a yuan per team given an amount: rounding, not a remainder.
      var given = parts.filter(function (input) { return input.value.trim(); }).length;
      if (!whole && Math.abs(rest) <= 0.5 * given) rest = 0;
      left.textContent = whole ? String(rest) : window.OpenKAM.money(rest);
      left.className = "text-end " + (rest === 0 ? "text-green" : "text-orange");
      if (rest < 0 && left.dataset.labelOver) left.textContent += " " + left.dataset.labelOver;
    }
    parts.concat(total ? [total] : []).forEach(function (input) {
      input.addEventListener("input", show);
    });
    var suggest = form.querySelector("[data-split-suggest]");
    if (suggest) {
      suggest.addEventListener("click", function () {
        parts.forEach(function (input) {
          if (input.dataset.suggested) input.value = input.dataset.suggested;
        });
        show();
      });
    }
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-split]").forEach(setUp);
  });
})();
