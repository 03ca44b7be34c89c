// Dragging talks on the schedule board, with pointer events: a mouse, a pen
// or a finger. A drop fills in one of the page's hidden forms and submits
// it, as the board's "Move" form would: the server checks the change and
// redirects back to the board, so the page only ever shows what the
// database holds. While dragging, the card follows the pointer; it is never
// moved in the page's structure.
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  var moveForm = document.getElementById("board-move-form");
  var swapForm = document.getElementById("board-swap-form");
  if (!board || !moveForm || !swapForm) {
    return;
  }
  var TARGETS = "[data-talk], [data-drop-cell], [data-drop-unscheduled]";
  // Presses on these keep their own meaning: opening the "Move" form or the
  // warnings. The title's link is a handle too (on a
  // small card it is most of it); a click on it that does not move follows it.
  var OWN_CONTROLS = "button, input, select, textarea, label, summary, details[open], .board-move-link";
  // How far the pointer goes before a press becomes a drag, in CSS pixels.
  var THRESHOLD = 6;
  // Near an edge of the board's scrolling area, a drag scrolls it, this many pixels a move.
  var EDGE = 40;
  var STEP = 24;
  var scroller = board.querySelector(".board-scroll");
  var drag = null;
  var highlighted = null;

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

  // What lies under the pointer, the dragged card itself left out.
  function targetAt(x, y) {
    var found = document.elementsFromPoint(x, y);
    for (var index = 0; index < found.length; index += 1) {
      var node = found[index];
      if (drag.card.contains(node)) {
        continue;
      }
      var target = node.closest(TARGETS);
      if (!target || !board.contains(target)) {
        continue;
      }
      if (target.hasAttribute("data-drop-unscheduled") && target.contains(drag.card)) {
        return null;  // where the talk already is
      }
      return target;
    }
    return null;
  }

  function scrollNearEdge(x, y) {
    var box = scroller.getBoundingClientRect();
    var across = x < box.left + EDGE ? -STEP : (x > box.right - EDGE ? STEP : 0);
    var down = y < box.top + EDGE ? -STEP : (y > box.bottom - EDGE ? STEP : 0);
    if ((across || down) && x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) {
      scroller.scrollBy(across, down);
    }
  }

  // A text of the page with its %(name)s placeholders filled in.
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function send(form, values) {
    Object.keys(values).forEach(function (name) {
      form.elements[name].value = values[name];
    });
    board.classList.add("is-saving");
    form.submit();
  }

  function drop(card, target) {
    if (target.hasAttribute("data-talk")) {
      // The question's words come from the page, which translates them.
      var question = fill(board.dataset.textSwap, {
        first: card.dataset.title,
        second: target.dataset.title
      });
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
  }

  function finish() {
    if (drag && drag.moving) {
      drag.card.classList.remove("is-dragging");
      drag.card.style.transform = "";
    }
    highlight(null);
    drag = null;
  }

  board.addEventListener("pointerdown", function (event) {
    if (drag || !event.isPrimary || (event.pointerType === "mouse" && event.button !== 0)) {
      return;
    }
    var card = event.target.closest("[data-talk]");
    if (!card || event.target.closest(OWN_CONTROLS)) {
      return;
    }
    drag = {
      card: card,
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      left: scroller ? scroller.scrollLeft : 0,
      top: scroller ? scroller.scrollTop : 0,
      moving: false
    };
  });

  board.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) {
      return;
    }
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moving) {
      if (Math.abs(dx) < THRESHOLD && Math.abs(dy) < THRESHOLD) {
        return;
      }
      drag.moving = true;
      drag.card.classList.add("is-dragging");
      // From now on every event of this pointer comes to the card, wherever
      // it goes. Not before: a click that does not move stays the link's.
      drag.card.setPointerCapture(drag.id);
    }
    event.preventDefault();
    if (scroller && scroller.contains(drag.card)) {
      scrollNearEdge(event.clientX, event.clientY);
      // The card moves with what it is drawn on; the pointer does not.
      dx -= scroller.scrollLeft - drag.left;
      dy -= scroller.scrollTop - drag.top;
    }
    drag.card.style.transform = "translate(" + dx + "px, " + dy + "px)";
    highlight(targetAt(event.clientX, event.clientY));
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.id) {
      return;
    }
    var card = drag.card;
    var target = drag.moving ? targetAt(event.clientX, event.clientY) : null;
    var moved = drag.moving;
    finish();
    if (moved) {
      // The click that ends a drag, dispatched right after this event, is
      // not a click on the card's title.
      var swallow = function (click) {
        click.preventDefault();
        click.stopPropagation();
      };
      board.addEventListener("click", swallow, true);
      window.setTimeout(function () {
        board.removeEventListener("click", swallow, true);
      }, 0);
    }
    if (target) {
      drop(card, target);
    }
  });

  document.addEventListener("pointercancel", function (event) {
    if (drag && event.pointerId === drag.id) {
      finish();
    }
  });

  // A card's "Move…" link opens the board's one "Move" form as a dialog,
  // filled in for that card; without a dialog the link reloads the page with it.
  var moveDialog = document.getElementById("board-move");
  if (moveDialog && moveDialog.showModal) {
    var dialogForm = moveDialog.querySelector("form");
    board.addEventListener("click", function (event) {
      var link = event.target.closest(".board-move-link");
      if (!link || event.defaultPrevented) {
        return;
      }
      event.preventDefault();
      var card = link.closest("[data-talk]");
      var fields = dialogForm.elements;
      fields.talk.value = card.dataset.talk;
      fields.seen_updated.value = card.dataset.stamp;
      fields.room.value = card.dataset.room;
      fields.day.value = card.dataset.day || fields.board_day.value;
      fields.start.value = card.dataset.start;
      var heading = moveDialog.querySelector("[data-move-title]");
      heading.textContent = fill(heading.dataset.textTitle, { title: card.dataset.title });
      if (moveDialog.open) {
        moveDialog.close();
      }
      moveDialog.showModal();
      fields.room.focus();
    });
    moveDialog.querySelector("[data-move-cancel]").addEventListener("click", function (event) {
      if (moveDialog.matches(":modal")) {
        event.preventDefault();
        moveDialog.close();
      }
    });
    dialogForm.addEventListener("submit", function () {
      board.classList.add("is-saving");
    });
  }

  document.addEventListener("keydown", function (event) {
    if (drag && event.key === "Escape") {
      if (drag.moving) {
        drag.card.releasePointerCapture(drag.id);
      }
      finish();
    }
  });
})();
