// The board keeps itself current: it polls the live part with If-None-Match (an unchanged
// board costs a 304), swaps it in place, keeps the last state when the network drops, and
// recovers by itself. Its clock is the server's (which may be a rehearsal's), not the screen's.
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  if (!window.fetch || !window.Intl) {
    // An old screen's browser: reload now and then rather than show a stale board forever.
    window.setTimeout(function () { window.location.reload(); }, 60000);
    return;
  }
  var live = document.getElementById("live");
  var stale = document.getElementById("stale");
  var clockEl = document.getElementById("clock");
  var url = root.getAttribute("data-live");
  var poll = Number(root.getAttribute("data-poll")) || 10000;
  var etag = root.getAttribute("data-etag") || "";
  var version = root.getAttribute("data-version");
  // Server time minus this screen's time, corrected on every answer.
  var offset = Number(root.getAttribute("data-now")) - Date.now();
  var failures = 0;
  var offlineSince = null;
  var format = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", hour12: false, timeZone: root.getAttribute("data-zone")
  });

  function serverNow() { return Date.now() + offset; }

  function tick() {
    var now = serverNow();
    var text = format.format(new Date(now));
    if (clockEl.textContent !== text) { clockEl.textContent = text; }
    var bars = live.querySelectorAll("progress[data-start][data-end]");
    for (var i = 0; i < bars.length; i++) {
      var start = Number(bars[i].getAttribute("data-start"));
      var end = Number(bars[i].getAttribute("data-end"));
      if (end > start) { bars[i].value = Math.min(1, Math.max(0, (end - now) / (end - start))); }
    }
  }

  // Shrink everything (all sizes are rem) until nothing overflows the screen.
  function fit() {
    var doc = document.documentElement;
    var scale = 1;
    doc.style.setProperty("--fit", "1");
    while (scale > 0.3 && (doc.scrollHeight > window.innerHeight || doc.scrollWidth > window.innerWidth)) {
      scale *= 0.94;
      doc.style.setProperty("--fit", String(scale));
    }
  }

  function online() {
    failures = 0;
    offlineSince = null;
    stale.hidden = true;
  }

  function offline() {
    failures += 1;
    if (offlineSince === null) { offlineSince = format.format(new Date(serverNow())); }
    stale.textContent = "No connection since " + offlineSince + ": showing the last update";
    stale.hidden = false;
  }

  function swap(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;  // our server's escaped template; scripts inserted so never run
    var fresh = holder.querySelector(".live");
    if (fresh && version && fresh.getAttribute("data-version") !== version) {
      window.location.reload();  // a new release of the board: load its styles and script
      return;
    }
    while (live.firstChild) { live.removeChild(live.firstChild); }
    while (holder.firstChild) { live.appendChild(holder.firstChild); }
    tick();
    fit();
  }

  function next(ms) { window.setTimeout(refresh, ms); }

  function refresh() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: headers })
      .then(function (response) {
        var now = Number(response.headers.get("Board-Now"));
        if (now) { offset = now - Date.now(); }
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        etag = response.headers.get("ETag") || "";
        return response.text();
      })
      .then(function (html) {
        if (html !== null) { swap(html); }
        online();
        next(poll);
      })
      .catch(function () {
        offline();
        // Back off while the network is down, but never so far that recovery waits long.
        next(Math.min(poll * Math.pow(2, failures), poll * 6));
      });
  }

  window.addEventListener("resize", fit);
  window.setInterval(tick, 1000);
  tick();
  fit();
  next(poll);
}());
