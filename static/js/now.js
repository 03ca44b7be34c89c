// The now page keeps itself current: it reloads every minute (the page is
// cached until its clock or a talk changes, so a reload is cheap). It waits
// while a keyboard has put focus on a link or a button, so that it is never
// pulled away, and "Pause updates" stops it (WCAG 2.2.2), remembered for the tab.
(function () {
  "use strict";

  var board = document.querySelector("[data-now-refresh]");
  if (!board) {
    return;
  }
  var seconds = parseInt(board.dataset.nowRefresh, 10) || 60;
  var PAUSE_KEY = "conference.now.paused";
  var pauseButton = document.querySelector("[data-now-pause]");
  var note = document.querySelector("[data-now-refresh-note]");

  function isPaused() {
    try {
      return window.sessionStorage.getItem(PAUSE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function setPaused(paused) {
    try {
      window.sessionStorage.setItem(PAUSE_KEY, paused ? "1" : "0");
    } catch (error) {
      // Storage refused: the choice lasts until the next reload.
    }
    showPaused(paused);
  }

  // The page's own words, in its language; the button's and note's first text.
  var pauseLabel = pauseButton && pauseButton.textContent;
  var refreshLabel = note && note.textContent;
  var paused = isPaused();

  function showPaused(value) {
    paused = value;
    if (pauseButton) {
      pauseButton.setAttribute("aria-pressed", value ? "true" : "false");
      pauseButton.textContent = value ? pauseButton.dataset.textResume : pauseLabel;
    }
    if (note) {
      note.textContent = value ? note.dataset.textPaused : refreshLabel;
    }
  }

  if (pauseButton) {
    pauseButton.hidden = false;
    pauseButton.addEventListener("click", function () {
      setPaused(!paused);
    });
  }
  if (note) {
    note.hidden = false;
  }
  showPaused(paused);

  // Focus a keyboard put somewhere (a click on a button leaves focus without
  // :focus-visible, and should not stop the updates).
  function readerIsBusy() {
    var active = document.activeElement;
    if (!active || active === document.body || active === document.documentElement) {
      return false;
    }
    try {
      return active.matches(":focus-visible");
    } catch (error) {
      return true;
    }
  }

  window.setInterval(function () {
    if (paused || document.hidden || readerIsBusy()) {
      return;
    }
    window.location.reload();
  }, seconds * 1000);
})();
