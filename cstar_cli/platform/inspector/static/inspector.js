// The cStar inspector's only script: live refresh, buttons, copy, relative times.
// Every button is one REST API call, made by the platform with this session's key
// (POST /inspector/call/<API path>, with the page's CSRF token).
"use strict";
(function () {
  var view = document.body.dataset.view || "";
  var main = document.getElementById("main");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var refreshing = null;
  var again = false;
  var pollTimer = null;
  var ended = false;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // -- small things on every render ------------------------------------------------------
  function ago(seconds) {
    if (seconds < 0) return "in " + span(-seconds);
    if (seconds < 5) return "just now";
    return span(seconds) + " ago";
  }
  function span(s) {
    s = Math.round(s);
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m " + String(s % 60).padStart(2, "0") + "s";
    if (s < 86400) return Math.floor(s / 3600) + "h " + String(Math.floor(s / 60) % 60).padStart(2, "0") + "m";
    return Math.floor(s / 86400) + "d " + (Math.floor(s / 3600) % 24) + "h";
  }
  function tick(step) {
    var clock = $("#clock");
    var offset = clock ? Number(clock.dataset.offset || 0) * 1000 : 0;
    $all("time[data-rel]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("datetime"));
      var now = Date.now() + ("real" in el.dataset ? 0 : offset);
      if (!isNaN(at)) el.textContent = ago((now - at) / 1000);
    });
    if (step) $all("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Number(el.dataset.countdown) - 1);
      el.dataset.countdown = String(left);
      el.textContent = span(left);
    });
  }
  function hydrate(root) {
    $all("[data-pct]", root).forEach(function (el) { el.style.width = el.dataset.pct + "%"; });
    tick(false);
    schedulePoll();
  }

  // -- refreshing the view in place (no reload) --------------------------------------------
  function refresh() {
    if (ended) return;
    if (refreshing) { again = true; return; }
    var before = {};
    $all("tbody tr[data-id]", main).forEach(function (row) { before[row.dataset.id] = true; });
    var hadRows = Object.keys(before).length > 0;
    refreshing = fetch(location.pathname + location.search, {
      headers: { "X-Inspector-Fragment": "1" }, credentials: "same-origin",
    }).then(function (response) {
      if (response.status === 401) { endSession("This inspector session has ended."); return null; }
      return response.text();
    }).then(function (html) {
      if (html === null || html === undefined) return;
      var open = $all("details[open]", main).map(function (d) { return d.dataset.key; });
      main.innerHTML = html;
      $all("details", main).forEach(function (d, i) {
        d.dataset.key = d.dataset.key || String(i);
        if (open.indexOf(d.dataset.key) >= 0) d.open = true;
      });
      if (hadRows) {
        $all("tbody tr[data-id]", main).forEach(function (row) {
          if (!before[row.dataset.id]) row.classList.add("fresh");
        });
      }
      hydrate(main);
    }).catch(function () { /* the live indicator says when the platform is gone */ })
      .then(function () {
        refreshing = null;
        if (again) { again = false; refresh(); }
      });
  }
  var soon = null;
  function refreshSoon() {
    if (soon) return;
    soon = setTimeout(function () { soon = null; refresh(); }, 120);
  }
  function firstPage() {
    var bar = $(".bar[data-page]", main);
    return !bar || bar.dataset.page === "1";
  }
  function schedulePoll() {
    // Listen sessions connect and disconnect without an event, and attempts finish after
    // the event: poll those views gently while there is something to watch.
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    var bar = $(".bar", main);
    if (!bar) return;
    var every = bar.dataset.poll ? Number(bar.dataset.poll) : (bar.dataset.pending === "1" ? 1000 : 0);
    if (every > 0) pollTimer = setTimeout(refresh, every);
  }

  // -- the live stream ---------------------------------------------------------------------
  var live = $("#live");
  function setLive(state, text) {
    if (!live) return;
    live.dataset.state = state;
    live.textContent = text;
  }
  function endSession(message) {
    ended = true;
    setLive("ended", "session ended");
    toast(message + " Run `cstar open` for a new link.", "bad", 0);
  }
  function onPlatformEvent(message) {
    var event = JSON.parse(message.data);
    if (view === "events" && firstPage()) refreshSoon();
    else if (view === "event" || view === "webhooks" || view === "listen") refreshSoon();
    else if (view === "game" && /^(boss|player|ticket)\./.test(event.type)) refreshSoon();
    else if (view === "ticket" && /^ticket\./.test(event.type)) refreshSoon();
  }
  function connect() {
    if (!window.EventSource || !live) return;
    var source = new EventSource("/inspector/live");
    source.addEventListener("open", function () { setLive("on", "live"); });
    source.addEventListener("platform", onPlatformEvent);
    source.addEventListener("log", function () {
      if (view === "logs" && firstPage()) refreshSoon();
      if (view === "event") refreshSoon();
    });
    source.addEventListener("ended", function (message) {
      source.close();
      var data = {};
      try { data = JSON.parse(message.data); } catch (e) { /* keep the default */ }
      endSession(data.message || "This inspector session has ended.");
    });
    source.addEventListener("error", function () {
      if (ended) return;
      if (source.readyState === EventSource.CLOSED) {
        setLive("off", "offline");
        setTimeout(connect, 3000);
      } else {
        setLive("off", "reconnecting…");
      }
    });
  }

  // -- buttons: one API call each ------------------------------------------------------------
  function toast(text, kind, ms) {
    var box = $("#toast");
    box.textContent = text;
    box.className = kind || "";
    box.hidden = false;
    clearTimeout(box.timer);
    if (ms !== 0) box.timer = setTimeout(function () { box.hidden = true; }, ms || 4000);
  }
  function call(path, body) {
    return fetch("/inspector/call/" + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.content : "" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 401) endSession("This inspector session has ended.");
        return { ok: response.ok, status: response.status, body: answer };
      });
    });
  }
  function report(path, result) {
    if (result.ok) {
      var data = result.body.data || {};
      var text = "resentTo" in data ? "Resent to " + data.resentTo + " target" + (data.resentTo === 1 ? "" : "s")
        : "offsetSeconds" in data ? "Test clock offset: " + (data.offsetSeconds ? "+" + span(data.offsetSeconds) : "0")
        : "Done";
      toast(text + "  (POST /" + path + ")", "ok");
    } else {
      var error = result.body.error || {};
      toast((error.message || "HTTP " + result.status) + "  (POST /" + path + ")", "bad", 8000);
    }
    refreshSoon();
  }
  function duration(text) {
    var match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$/i.exec(text || "");
    if (!match) return null;
    var unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] || "s").toLowerCase()];
    return Number(match[1]) * unit;
  }
  document.addEventListener("click", function (click) {
    var button = click.target.closest("button[data-call]");
    if (button) {
      button.disabled = true;
      var path = button.dataset.call;
      call(path, JSON.parse(button.dataset.body || "{}")).then(function (result) {
        button.disabled = false;
        report(path, result);
      });
      return;
    }
    var copy = click.target.closest("button[data-copy]");
    if (copy) {
      var text = $(copy.dataset.copy).textContent;
      var done = function () { copy.textContent = "Copied"; setTimeout(function () { copy.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, done);
      return;
    }
    var row = click.target.closest("tr[data-href]");
    if (row && !click.target.closest("a, button, summary")) location.href = row.dataset.href;
  });
  document.addEventListener("submit", function (submit) {
    var form = submit.target.closest("form[data-call]");
    if (!form) return;
    submit.preventDefault();
    var seconds = duration(form.elements.duration.value);
    if (!seconds) { toast("Give a duration like 90m, 2h, 1d or a number of seconds.", "bad"); return; }
    var path = form.dataset.call;
    call(path, { seconds: seconds }).then(function (result) { report(path, result); });
  });

  hydrate(document);
  setInterval(function () { tick(true); }, 1000);
  connect();
})();
