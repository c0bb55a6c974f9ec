// Kiln live preview client, injected by `kiln serve` only (never part of a built site).
// Reloads this page when a rebuild changed it (keeping the scroll position), swaps
// stylesheets in place after a CSS-only change, and shows build errors in an overlay.
(function () {
  "use strict";
  var here = decodeURI(location.pathname);
  var key = "kiln-scroll:" + here;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = +saved;
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") restore(); else addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  function overlay(diags, warning) {
    var box = document.getElementById("kiln-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "kiln-overlay";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-label", "Build error");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.92);" +
        "color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;overflow:auto";
      document.documentElement.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = warning
      ? "Kiln: the last save has problems (the page below is up to date)."
      : "Kiln: the last save did not build. The page below is the last good version.";
    h.style.cssText = "font:600 16px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4ab";
    box.appendChild(h);
    diags.forEach(function (d) {
      var p = document.createElement("pre");
      p.className = "kiln-overlay-error";
      p.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;padding:.75rem 1rem;background:#2b1d1d;border-left:4px solid #ff6b6b";
      var where = (d.file || "") + (d.line ? ":" + d.line + (d.col ? ":" + d.col : "") : "");
      p.textContent = where + "\n" + d.message;
      box.appendChild(p);
    });
  }

  function clear() {
    var box = document.getElementById("kiln-overlay");
    if (box) box.remove();
  }

  var source = new EventSource("/__kiln/events");
  source.addEventListener("hello", function () { document.documentElement.dataset.kilnLive = "1"; });
  source.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    if (d.all || (d.paths || []).indexOf(here) >= 0) reload();
  });
  source.addEventListener("css", function (e) {
    var changed = JSON.parse(e.data).paths || [];
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (changed.indexOf(decodeURI(url.pathname)) < 0) return;
      url.searchParams.set("kiln", String(Date.now()));
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = function () { link.remove(); };
      link.after(next);
    });
  });
  source.addEventListener("build-error", function (e) {
    var d = JSON.parse(e.data);
    overlay(d.diagnostics || [], d.warning);
  });
  source.addEventListener("ok", clear);
})();
