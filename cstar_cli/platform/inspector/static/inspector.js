// The cStar inspector's only script: the session, the view, live refresh, buttons, copy, times.
// The page arrives without data. Opened with a one-time link (?token=), it trades the link for
// a session token (POST /inspector/session) kept in localStorage — this host and port only,
// shared by the inspector's tabs — then fetches its view (/inspector/view/<page>) with the
// token in X-Inspector-Token; the live stream, opened by EventSource, takes it as ?token= (D48).
// Every button is one REST API call, made by the platform with the session's key
// (POST /inspector/call/<API path>).
"use strict";
(function () {
  var STORE = "cstar-inspector-token";
  var HEADER = "X-Inspector-Token";
  var view = document.body.dataset.view || "";
  var main = document.getElementById("main");
  var token = null;
  var refreshing = null;
  var again = false;
  var pollTimer = null;
  var ended = true;
  var source = null;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function stored() { try { return localStorage.getItem(STORE); } catch (e) { return null; } }
  function keep(value) {
    try { if (value) localStorage.setItem(STORE, value); else localStorage.removeItem(STORE); } catch (e) { /* private mode */ }
  }

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
    var clock = $("#view-meta");
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

  // -- the session -----------------------------------------------------------------------------
  function start() {
    var params = new URLSearchParams(location.search);
    var link = params.get("token");
    if (link === null) { begin(null); return; }
    params.delete("token");  // out of the address bar (and history) before anything else
    var rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    fetch("/inspector/session", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ link: link }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) { keep(answer.data.token); begin(null); return; }
        // a used link in a browser whose inspector has a session already just opens the page
        var why = (answer.error || {}).message || "This inspector link does not work.";
        if (stored()) begin(why); else signedOut(why);
      });
    }).catch(function () { signedOut("The platform did not answer: is `cstar dev` still running?"); });
  }
  function begin(linkProblem) {
    token = stored();
    if (!token) { signedOut(linkProblem); return; }
    ended = false;
    refresh(linkProblem);
  }
  function signedOut(message) {
    // No session: the page shows how to get a link, and no data at all.
    if (token && stored() === token) keep(null);
    token = null;
    ended = true;
    if (source) { source.close(); source = null; }
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    var card = $("#signed-out").content.cloneNode(true);
    var reason = $(".reason", card);
    if (message) { reason.textContent = message; reason.hidden = false; }
    main.replaceChildren(card);
    ["#env", "#team", "#nav"].forEach(function (id) { $(id).hidden = true; });
    if (!$("#live").hidden) setLive("ended", "session ended");
    document.title = "cStar inspector — open it with a link";
  }
  function showMeta() {
    var meta = $("#view-meta", main);
    if (!meta) return;
    var env = $("#env"), team = $("#team");
    if (meta.dataset.env) {
      env.textContent = meta.dataset.env + " mode";
      env.className = "env env-" + meta.dataset.env;
      team.textContent = meta.dataset.team;
      team.title = "Team " + meta.dataset.teamId;
      env.hidden = team.hidden = false;
    }
    $("#nav").hidden = false;
    $("#live").hidden = false;
    if (meta.dataset.title) document.title = meta.dataset.title;
  }

  // -- the view, fetched and refreshed in place (no reload) ---------------------------------
  function refresh(linkProblem) {
    if (ended) return;
    if (refreshing) { again = true; return; }
    var before = {};
    $all("tbody tr[data-id]", main).forEach(function (row) { before[row.dataset.id] = true; });
    var hadRows = Object.keys(before).length > 0;
    var headers = {};
    headers[HEADER] = token;
    refreshing = fetch("/inspector/view" + location.pathname + location.search, {
      headers: headers, cache: "no-store",
    }).then(function (response) {
      if (response.status === 401) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          signedOut(typeof linkProblem === "string" ? linkProblem : (answer.error || {}).message);
          return null;
        });
      }
      return response.text();
    }).then(function (html) {
      if (html === null || html === undefined) return;
      var open = $all("details[open]", main).map(function (d) { return d.dataset.key; });
      var kept = {};  // what a person is editing (Edit & resend) outlives the refresh
      $all("[data-keep]", main).forEach(function (el) { kept[el.dataset.keep] = el.value; });
      var focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.keep : null;
      main.innerHTML = html;
      $all("[data-keep]", main).forEach(function (el) {
        var key = el.dataset.keep;
        if (key in kept) {
          el.value = kept[key];
          if (el.tagName === "SELECT" && el.value !== kept[key]) el.selectedIndex = 0;  // target gone
        }
        if (key === focused) el.focus();
      });
      $all("details", main).forEach(function (d, i) {
        d.dataset.key = d.dataset.key || String(i);
        if (open.indexOf(d.dataset.key) >= 0) d.open = true;
      });
      if (hadRows) {
        $all("tbody tr[data-id]", main).forEach(function (row) {
          if (!before[row.dataset.id]) row.classList.add("fresh");
        });
      }
      showMeta();
      hydrate(main);
      if (!source) connect();
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
    live.dataset.state = state;
    live.textContent = text;
  }
  function onPlatformEvent(message) {
    var event = JSON.parse(message.data);
    if (view === "events" && firstPage()) refreshSoon();
    else if (view === "event" || view === "webhooks" || view === "listen") refreshSoon();
    else if (view === "game" && /^(boss|player|ticket)\./.test(event.type)) refreshSoon();
    else if (view === "ticket" && /^ticket\./.test(event.type)) refreshSoon();
    else if (view === "community" && /^community_post\./.test(event.type)) refreshSoon();
    else if (view === "csat" && /^(survey|ticket)\./.test(event.type)) refreshSoon();
  }
  function connect() {
    if (!window.EventSource || ended) return;
    var opened = new EventSource("/inspector/live?token=" + encodeURIComponent(token));
    source = opened;
    opened.addEventListener("open", function () { setLive("on", "live"); });
    opened.addEventListener("platform", onPlatformEvent);
    opened.addEventListener("log", function () {
      if ((view === "logs" || view === "audit") && firstPage()) refreshSoon();
      if (view === "event") refreshSoon();
    });
    opened.addEventListener("ended", function (message) {
      var data = {};
      try { data = JSON.parse(message.data); } catch (e) { /* keep the default */ }
      signedOut(data.message || "This inspector session has ended.");
    });
    opened.addEventListener("error", function () {
      if (ended || source !== opened) return;
      if (opened.readyState === EventSource.CLOSED) {
        source = null;
        setLive("off", "offline");
        setTimeout(function () { refresh(); }, 3000);  // reconnects once the view answers
      } else {
        setLive("off", "reconnecting…");
      }
    });
  }
  window.addEventListener("storage", function (change) {
    // Another inspector tab opened a new link: this tab uses its session too.
    if (change.key !== STORE || !change.newValue || change.newValue === token) return;
    if (ended) { main.replaceChildren(); begin(null); } else token = change.newValue;
  });

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
    var headers = { "Content-Type": "application/json" };
    headers[HEADER] = token;
    return fetch("/inspector/call/" + path, {
      method: "POST", headers: headers, body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 401) signedOut((answer.error || {}).message);
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
  function replay(form) {
    // Edit & resend (D39): the edited data, checked here, sent as a new event to the target.
    var problem = $(".replay-problem", form);
    var data;
    try { data = JSON.parse(form.elements.data.value); } catch (e) { data = e; }
    var bad = data instanceof Error ? "The data is not valid JSON: " + data.message + ". Nothing was sent."
      : (data === null || typeof data !== "object" || Array.isArray(data)) ? "The data must be a JSON object ({…}). Nothing was sent."
      : null;
    problem.textContent = bad || "";
    problem.hidden = !bad;
    if (bad) return;
    var body = { data: data };
    var target = form.elements.target.value;
    if (target) body[/^cls_/.test(target) ? "sessionId" : "webhookId"] = target;
    var path = form.dataset.replay;
    var button = $("button[type=submit]", form);
    button.disabled = true;
    call(path, body).then(function (result) {
      button.disabled = false;
      if (result.ok) {
        var sent = result.body.data || {};
        toast("Sent as new event " + sent.eventId + " to " + sent.resentTo + " target" + (sent.resentTo === 1 ? "" : "s") + "  (POST /" + path + ")", "ok", 8000);
        refreshSoon();
      } else {
        report(path, result);
      }
    });
  }
  document.addEventListener("submit", function (submit) {
    var edit = submit.target.closest("form[data-replay]");
    if (edit) { submit.preventDefault(); replay(edit); return; }
    var form = submit.target.closest("form[data-call]");
    if (!form) return;
    submit.preventDefault();
    var seconds = duration(form.elements.duration.value);
    if (!seconds) { toast("Give a duration like 90m, 2h, 1d or a number of seconds.", "bad"); return; }
    var path = form.dataset.call;
    call(path, { seconds: seconds }).then(function (result) { report(path, result); });
  });

  setInterval(function () { tick(true); }, 1000);
  start();
})();
