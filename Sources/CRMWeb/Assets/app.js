// The interface's own small script: keyboard shortcuts, clickable rows, and drag on the deal
// board. Every page works without it.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    if (e.key === "/") {
      var q = document.getElementById("global-q");
      if (q) { e.preventDefault(); q.focus(); }
    } else if (e.key === "n") {
      var link = document.body.getAttribute("data-new");
      if (link) { e.preventDefault(); window.location.href = link; }
    } else if (e.key === "j" || e.key === "k") {
      var rows = Array.prototype.slice.call(document.querySelectorAll("a.row-link"));
      if (!rows.length) return;
      var i = rows.indexOf(document.activeElement);
      i = e.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
      e.preventDefault();
      rows[i].focus();
    }
  });

  var boardReady = false;
  function setupBoard() {
    if (boardReady || typeof Sortable === "undefined") return;
    boardReady = true;
    var message = document.getElementById("kanban-msg");
    Array.prototype.forEach.call(document.querySelectorAll(".kanban .cards"), function (list) {
      Sortable.create(list, {
        group: "kanban",
        animation: 120,
        forceFallback: true,
        filter: "form, select, button",
        preventOnFilter: false,
        onEnd: function (evt) {
          if (evt.from === evt.to) return;
          var card = evt.item, form = card.querySelector("form.move");
          if (!form) return;
          var data = new FormData(form);
          data.set("stage", evt.to.getAttribute("data-stage"));
          fetch(form.action, { method: "POST", body: new URLSearchParams(data), headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (answer) {
              message.hidden = false;
              message.textContent = answer.message;
              message.className = answer.ok ? "notice" : "error";
              if (answer.ok) {
                form.querySelector("select").value = evt.to.getAttribute("data-stage");
              } else {
                evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
              }
            })
            .catch(function () {
              evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
            });
        }
      });
    });
    var board = document.querySelector(".kanban");
    if (board) board.setAttribute("data-ready", "true");
  }
  document.addEventListener("DOMContentLoaded", setupBoard);
  window.addEventListener("load", setupBoard);
})();
