// The pipeline board: a card dragged onto another stage's column is moved there (the same
// POST as the card's own "Move" form, which keyboard users use). Moving to "lost" asks why.
(function () {
  "use strict";

  function move(card, stage) {
    // The token of the card's own form (or the page's): htmx.ajax sends no form of its own.
    var token = card.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    var values = { stage: stage, from: "board", reason: "", csrfmiddlewaretoken: token.value };
    if (stage === "lost") {
      var board = document.querySelector("[data-testid=board]");
      var reason = window.prompt(board.dataset.lostPrompt || "Why?");
      if (!reason) {
        return;
      }
      values.reason = reason;
    }
    window.htmx.ajax("POST", card.dataset.moveUrl, { values: values, swap: "none" });
  }

  function init() {
    var dragged = null;
    document.querySelectorAll(".okam-deal[draggable=true]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        event.dataTransfer.setData("text/plain", card.dataset.opportunity);
        event.dataTransfer.effectAllowed = "move";
      });
    });
    document.querySelectorAll(".okam-board-column").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        event.preventDefault();
        column.classList.add("border-primary");
      });
      column.addEventListener("dragleave", function () {
        column.classList.remove("border-primary");
      });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        column.classList.remove("border-primary");
        if (dragged && !column.contains(dragged)) {
          move(dragged, column.dataset.stage);
        }
        dragged = null;
      });
    });
  }

  // A refused move (lost without a reason, a stage it is already at) says why above the board;
  // the answer is the server's own escaped fragment (includes/refusal.html).
  document.addEventListener("htmx:responseError", function (event) {
    var slot = document.getElementById("board-error");
    if (!slot || !event.detail.elt.closest("[data-testid=board]")) {
      return;
    }
    slot.innerHTML = event.detail.xhr.responseText;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
