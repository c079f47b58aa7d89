// Ranking by moving responses, for a learner with JavaScript.
//
// Without this script the ranking is a plain form: one "place" select per
// response. With it, the responses become a list in the order being built:
// "Move up" / "Move down" buttons (keyboard) and drag and drop (mouse, touch)
// reorder them, and the hidden selects are kept in step, so the form posts
// exactly what the plain form would. Each move is announced to screen readers.
(function () {
  "use strict";

  function setUp(list) {
    var status = list.parentNode.querySelector("[data-rank-status]");
    var rows = function () { return Array.prototype.slice.call(list.querySelectorAll("li[data-option]")); };
    var total = rows().length;
    var dragged = null;

    function sync(moved) {
      rows().forEach(function (row, index) {
        var select = row.querySelector("select");
        select.value = String(index + 1);
        select.removeAttribute("aria-invalid");
        row.classList.remove("clash");
        var note = row.querySelector(".clash-note");
        if (note) { note.remove(); }
        row.querySelector(".rank-place").textContent = String(index + 1);
        row.querySelector("[data-move='up']").disabled = index === 0;
        row.querySelector("[data-move='down']").disabled = index === total - 1;
      });
      if (moved && status) {
        var place = rows().indexOf(moved) + 1;
        status.textContent = list.dataset.moved.replace("{place}", place).replace("{total}", total);
      }
    }

    function button(direction, label, text) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "rank-move";
      b.dataset.move = direction;
      b.textContent = direction === "up" ? "↑" : "↓";
      b.setAttribute("aria-label", label + ": " + text);
      return b;
    }

    rows().forEach(function (row) {
      var text = row.querySelector("label").textContent.trim();
      var place = document.createElement("span");
      place.className = "rank-place";
      place.setAttribute("aria-hidden", "true");
      row.insertBefore(place, row.firstChild);
      row.querySelector("select").classList.add("visually-hidden");
      row.querySelector("select").tabIndex = -1;
      var controls = document.createElement("span");
      controls.className = "rank-controls";
      controls.appendChild(button("up", list.dataset.up, text));
      controls.appendChild(button("down", list.dataset.down, text));
      row.appendChild(controls);
      row.draggable = true;
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("dragging");
        sync(dragged);
        dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) { return; }
        event.preventDefault();
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? row.nextSibling : row);
      });
    });

    list.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-move]");
      if (!target) { return; }
      var row = target.closest("li");
      if (target.dataset.move === "up" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (target.dataset.move === "down" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      }
      sync(row);
      var same = row.querySelector("button[data-move='" + target.dataset.move + "']");
      (same.disabled ? row.querySelector("button:not([disabled])") : same).focus();
    });

    list.classList.add("rank-list-enhanced");
    sync(null);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-rank]"), setUp);
})();
