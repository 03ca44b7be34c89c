// Drag and drop on the schedule board. A drop fills in one of the page's
// hidden forms and submits it, as the card's own "Move" form would: the
// server checks the change and redirects back to the board, so the page only
// ever shows what the database holds. Cards are never moved here.
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  var moveForm = document.getElementById("board-move-form");
  var swapForm = document.getElementById("board-swap-form");
  if (!board || !moveForm || !swapForm) {
    return;
  }
  var dragged = null;
  var highlighted = null;
  var TARGETS = "[data-talk], [data-drop-cell], [data-drop-unscheduled]";

  function targetOf(event) {
    var node = event.target;
    if (node && node.nodeType !== 1) {
      node = node.parentElement;
    }
    var target = node ? node.closest(TARGETS) : null;
    if (target === dragged || (target && target.hasAttribute("data-drop-unscheduled") &&
        target.contains(dragged))) {
      return null;  // where the talk already is
    }
    return target;
  }

  function highlight(target) {
    if (highlighted === target) {
      return;
    }
    if (highlighted) {
      highlighted.classList.remove("is-drop-target");
    }
    highlighted = target;
    if (target) {
      target.classList.add("is-drop-target");
    }
  }

  function send(form, values) {
    Object.keys(values).forEach(function (name) {
      form.elements[name].value = values[name];
    });
    board.classList.add("is-saving");
    form.submit();
  }

  board.addEventListener("dragstart", function (event) {
    var node = event.target.nodeType === 1 ? event.target : event.target.parentElement;
    var card = node && node.closest("[data-talk]");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.talk);
    card.classList.add("is-dragging");
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragging");
    }
    dragged = null;
    highlight(null);
  });

  board.addEventListener("dragover", function (event) {
    var target = dragged && targetOf(event);
    if (!target) {
      highlight(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    highlight(target);
  });

  board.addEventListener("dragleave", function (event) {
    if (highlighted && !highlighted.contains(event.relatedTarget)) {
      highlight(null);
    }
  });

  board.addEventListener("drop", function (event) {
    var target = dragged && targetOf(event);
    if (!target) {
      return;
    }
    event.preventDefault();
    var card = dragged;
    highlight(null);
    if (target.hasAttribute("data-talk")) {
      var question = "Swap “" + card.dataset.title + "” and “" + target.dataset.title + "”?";
      if (window.confirm(question)) {
        send(swapForm, {
          first: card.dataset.talk,
          seen_first: card.dataset.stamp,
          second: target.dataset.talk,
          seen_second: target.dataset.stamp
        });
      }
    } else if (target.hasAttribute("data-drop-unscheduled")) {
      send(moveForm, {
        talk: card.dataset.talk,
        seen_updated: card.dataset.stamp,
        room: "",
        day: "",
        start: ""
      });
    } else {
      send(moveForm, {
        talk: card.dataset.talk,
        seen_updated: card.dataset.stamp,
        room: target.dataset.room,
        day: target.dataset.day,
        start: target.dataset.time
      });
    }
  });
})();
