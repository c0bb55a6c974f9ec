// Kiln live preview client, injected by `kiln serve` only (never part of a built site).
// Updates this page when a rebuild changed it (in place, or by a reload keeping the scroll
// position), swaps stylesheets in place after a CSS-only change, and shows build errors in
// an overlay.
(function () {
  "use strict";
  var CLIENT = "/__kiln/live.js";
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

  // In-place update ("patch") instead of a full reload, for themes that opt in by setting
  // `data-kiln-patch` on <html> (the default theme does, and re-runs its enhancements on
  // the `kiln:patched` event). A full reload costs the browser ~150 ms at 10k pages: parse,
  // style and layout of the whole page and every script re-run; a patch replaces only the
  // nodes whose served HTML changed, so scroll, focus and open panels stay as they were.
  // `prev` is the page as served (not as scripts changed it), the base of the next diff.
  var version = (document.currentScript && new URL(document.currentScript.src).searchParams.get("v")) || "";
  var prev = null;
  function tagOf(etag) { return (etag || "").replace(/^W\//, "").replace(/"/g, ""); }
  function parse(text) { return new DOMParser().parseFromString(text, "text/html"); }
  function fetchPage() {
    return fetch(location.pathname + location.search, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text().then(function (text) { return { doc: parse(text), tag: tagOf(r.headers.get("ETag")) }; });
    });
  }
  if (document.documentElement.hasAttribute("data-kiln-patch")) {
    fetchPage().then(function (got) {
      // A save between this page's load and this fetch would make the diff base newer than
      // the page shown: then the next change reloads in full.
      if (got.tag === version) prev = got.doc;
    }, function () { /* the next change reloads in full */ });
  }

  function isClient(node) {
    return node.nodeName === "SCRIPT" && (node.getAttribute("src") || "").indexOf(CLIENT) === 0;
  }
  function sameAttributes(a, b) {
    if (a.attributes.length !== b.attributes.length) return false;
    for (var i = 0; i < a.attributes.length; i++) {
      var at = a.attributes[i];
      if (b.getAttribute(at.name) !== at.value) return false;
    }
    return true;
  }
  // Collect [live node, new node] pairs to replace, descending while a node's name,
  // attributes and children line up in the old, new and live trees (scripts may have added
  // nodes to the live one: there the whole node is replaced). False: reload in full (a
  // script changed, or <body> itself does not line up).
  function diff(p, n, l, out, depth) {
    if (isClient(p) && isClient(n)) return true;
    if (p.isEqualNode(n)) return true;
    var mark = out.length;
    if (lined(p, n, l)) {
      for (var i = 0; i < p.childNodes.length; i++) {
        var pc = p.childNodes[i], nc = n.childNodes[i], lc = l.childNodes[i];
        if (pc.nodeName !== nc.nodeName || lc.nodeName !== pc.nodeName) {
          out.length = mark;
          break;
        }
        if (!diff(pc, nc, lc, out, depth + 1)) return false;
      }
      if (i === p.childNodes.length) return true;
    }
    if (depth === 0 || hasScript(p) || hasScript(n)) return false;
    out.push([l, n]);
    return true;
  }
  function lined(p, n, l) {
    return p.nodeType === 1 && p.nodeName === n.nodeName && l.nodeName === p.nodeName && sameAttributes(p, n) &&
      p.childNodes.length === n.childNodes.length && l.childNodes.length === p.childNodes.length;
  }
  function hasScript(node) {
    return node.nodeType === 1 && !isClient(node) && (node.nodeName === "SCRIPT" ||
      Array.prototype.some.call(node.querySelectorAll("script"), function (s) { return !isClient(s); }));
  }
  // Title, description, canonical link and link-preview metadata change with a page's
  // title or description but not how it looks: they do not force a reload.
  function isMetadata(e) {
    if (e.nodeName === "TITLE") return true;
    if (e.nodeName === "LINK") return e.getAttribute("rel") === "canonical";
    if (e.nodeName !== "META") return false;
    var name = e.getAttribute("name") || "", prop = e.getAttribute("property") || "";
    return name === "description" || name.indexOf("twitter:") === 0 || prop.indexOf("og:") === 0;
  }
  // A stylesheet a page gains or loses (the highlighting one comes with its first code
  // block) is linked or unlinked in place: it does not force a reload either.
  function isStylesheet(e) { return e.nodeName === "LINK" && e.getAttribute("rel") === "stylesheet"; }
  function sameHead(a, b) {
    var keep = function (doc) {
      return Array.prototype.filter.call(doc.head.children, function (e) { return !isMetadata(e) && !isStylesheet(e); });
    };
    var x = keep(a), y = keep(b);
    return x.length === y.length && x.every(function (e, i) { return e.isEqualNode(y[i]); });
  }
  function syncStylesheets(next) {
    var hrefs = function (head) {
      return Array.prototype.filter.call(head.children, isStylesheet).map(function (e) { return e.getAttribute("href"); });
    };
    var want = hrefs(next.head), have = hrefs(document.head);
    Array.prototype.filter.call(document.head.children, isStylesheet).forEach(function (e) {
      if (want.indexOf(e.getAttribute("href")) < 0) e.remove();
    });
    want.forEach(function (href) {
      if (have.indexOf(href) >= 0) return;
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
  }
  function patch() {
    if (!prev || !document.documentElement.hasAttribute("data-kiln-patch")) return reload();
    fetchPage().then(function (got) {
      var next = got.doc, swaps = [];
      if (!sameHead(prev, next) || !diff(prev.body, next.body, document.body, swaps, 0)) return reload();
      syncStylesheets(next);
      var roots = [];
      swaps.forEach(function (s) {
        var fresh = document.importNode(s[1], true);
        s[0].replaceWith(fresh);
        roots.push(fresh.nodeType === 1 ? fresh : fresh.parentNode);
      });
      if (document.title !== next.title) document.title = next.title;
      prev = next;
      document.dispatchEvent(new CustomEvent("kiln:patched", { detail: { roots: roots } }));
    }).catch(reload);
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
    if (d.all || (d.paths || []).indexOf(here) >= 0) patch();
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
