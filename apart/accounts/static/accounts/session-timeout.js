/* « Votre session va expirer » (RGAA 13.1, WCAG 2.2.1): warns before the idle timeout and lets
 * the person extend the session with « Prolonger ma session » (a POST with the CSRF token of the
 * dialog's form). Progressive: without this script nothing is shown, and a form sent after the
 * end is kept and shown again after the login (apart.accounts.drafts).
 * The deadline is shared between the tabs of the browser (localStorage): a page opened in
 * another tab moves it for every tab. */
(function () {
  "use strict";

  var dialog = document.getElementById("session-expiry");
  if (!dialog) {
    return;
  }
  var STORE = "apart-session-deadline";
  var status = document.getElementById("session-expiry-status");
  var form = dialog.querySelector("form[data-session-extend]");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var announcer = dialog.querySelector("[data-session-announce]");
  var warning = Number(dialog.getAttribute("data-warning")) * 1000;
  var deadline = Date.now() + Number(dialog.getAttribute("data-left")) * 1000;
  var state = "";
  var opened = false;
  var dismissed = false;
  var returnFocus = null;
  var lastAnnounced = null;
  var busy = false;

  function share() {
    try {
      window.localStorage.setItem(STORE, String(deadline));
    } catch (error) {
      /* storage refused (private mode): each tab keeps its own deadline */
    }
  }

  function setState(name) {
    state = name;
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-state]"), function (element) {
      element.hidden = element.getAttribute("data-state").split(" ").indexOf(name) === -1;
    });
  }

  function duration(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    var minUnit = dialog.getAttribute("data-unit-minutes");
    var secUnit = dialog.getAttribute("data-unit-seconds");
    if (minutes === 0) {
      return seconds + " " + secUnit;
    }
    return minutes + " " + minUnit + (seconds ? " " + seconds + " " + secUnit : "");
  }

  var native = false; /* opened without DSFR's script (not loaded, or not started yet) */
  var waits = 0;
  var waiting = false;

  function modal() {
    try {
      var instance = window.dsfr ? window.dsfr(dialog) : null;
      return instance && instance.modal ? instance.modal : null;
    } catch (error) {
      return null;
    }
  }

  function focusFirst() {
    var target = state === "expired"
      ? dialog.querySelector("#session-expiry-title")
      : form.querySelector("button[type=submit]");
    if (state === "final") {
      target = dialog.querySelector(".fr-btn--close");
    }
    if (target) {
      target.focus();
    }
  }

  function open(retry) {
    if (!opened) {
      if (waiting && retry !== true) {
        return; /* already waiting for DSFR (below) */
      }
      var api = modal();
      if (!api && waits < 20) {
        /* DSFR's script starts after this one on a page that loads with little time left */
        waits += 1;
        waiting = true;
        window.setTimeout(function () {
          open(true);
        }, 100);
        return;
      }
      waiting = false;
      returnFocus = document.activeElement;
      opened = true;
      if (api) {
        api.disclose();
      } else {
        native = true;
        dialog.classList.add("fr-modal--opened");
        if (typeof dialog.showModal === "function" && !dialog.open) {
          dialog.showModal();
        }
      }
    }
    /* DSFR moves the focus when the opening animation ends: ours comes after. */
    window.setTimeout(focusFirst, 60);
  }

  function close() {
    if (!opened) {
      return;
    }
    var api = native ? null : modal();
    if (api) {
      api.conceal();
    } else {
      native = false;
      dialog.classList.remove("fr-modal--opened");
      if (dialog.open) {
        dialog.close();
      }
      concealed();
    }
  }

  function concealed() {
    opened = false;
    if (state !== "expired") {
      dismissed = true;
    }
    var target = returnFocus;
    if (target && document.contains(target) && target !== document.body) {
      /* after DSFR's own focus handling of the closing dialog */
      window.setTimeout(function () {
        target.focus();
      }, 60);
    }
  }

  function announce(text) {
    if (announcer) {
      announcer.textContent = text;
    }
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      if (state !== "expired") {
        setState("expired");
        open();
      }
      return;
    }
    countdown.textContent = duration(left);
    if (left > warning) {
      return;
    }
    if (!opened && !dismissed) {
      setState(state === "final" ? "final" : "warning");
      open();
    }
    /* A screen reader hears the time left at each whole minute and at 20 s, not every second. */
    var seconds = Math.ceil(left / 1000);
    var mark = seconds <= 20 ? 20 : Math.ceil(seconds / 60);
    if (opened && lastAnnounced !== null && mark !== lastAnnounced) {
      announce(dialog.getAttribute("data-announce").replace("{time}", duration(left)));
    }
    lastAnnounced = mark;
  }

  function extended(left) {
    deadline = Date.now() + left * 1000;
    share();
    lastAnnounced = null;
    if (left * 1000 <= warning) {
      setState("final"); /* the 12-hour limit: no button moves it */
      focusFirst();
      return;
    }
    setState("warning");
    dismissed = false;
    close();
    if (status) {
      status.textContent = status.getAttribute("data-extended");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    busy = true;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      redirect: "manual"
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {
        /* the session had already ended: the server answered with the login page */
        deadline = Date.now();
        tick();
        return null;
      }
      return response.json().then(function (body) {
        if (response.ok && typeof body.left === "number") {
          extended(body.left);
        } else if (response.status === 403) {
          deadline = Date.now();
          tick();
        } else {
          setState("failed");
          focusFirst();
        }
      });
    }).catch(function () {
      setState("failed");
      focusFirst();
    }).then(function () {
      busy = false;
    });
  });

  dialog.addEventListener("dsfr.conceal", concealed);
  dialog.addEventListener("cancel", function () {
    /* Escape on the native fallback */
    window.setTimeout(concealed, 0);
  });
  window.addEventListener("storage", function (event) {
    if (event.key !== STORE || !event.newValue) {
      return;
    }
    var shared = Number(event.newValue);
    if (shared > deadline) {
      deadline = shared;
      if (deadline - Date.now() > warning && state !== "expired") {
        dismissed = false;
        close();
      }
    }
  });

  share();
  setState("warning");
  tick();
  window.setInterval(tick, 1000);
})();
