// Kiln default theme behaviour: colour theme toggle, navigation drawer, copy buttons and the
// table-of-contents highlight. Plain JavaScript, no dependencies, nothing loaded from the network.
(function () {
  "use strict";
  var root = document.documentElement;
  // The page's words when it is not in English (the theme's strings, put in the page).
  var words = {};
  try { words = JSON.parse(document.getElementById("kiln-strings").textContent); } catch (e) { /* English */ }
  function say(key, english) { return typeof words[key] === "string" ? words[key] : english; }

  // Colour theme: an explicit choice persists in localStorage; otherwise follow the system.
  var toggle = document.querySelector(".theme-toggle");
  var diagramsDrawn = false;
  function apply(theme) {
    var changed = root.getAttribute("data-theme") !== theme;
    root.setAttribute("data-theme", theme);
    if (toggle) toggle.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    if (changed && diagramsDrawn) drawDiagrams(document);
  }
  apply(root.getAttribute("data-theme") || "light");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      apply(next);
      try { localStorage.setItem("kiln-theme", next); } catch (e) { /* private mode */ }
    });
  }
  if (window.matchMedia) {
    var mq = matchMedia("(prefers-color-scheme: dark)");
    var follow = function (e) {
      var stored = null;
      try { stored = localStorage.getItem("kiln-theme"); } catch (err) { /* ignore */ }
      if (!stored) apply(e.matches ? "dark" : "light");
    };
    if (mq.addEventListener) mq.addEventListener("change", follow);
  }

  // Navigation drawer on narrow screens.
  var navToggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    if (navToggle) {
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      navToggle.setAttribute("aria-label", open ? say("close_navigation", "Close navigation") : say("open_navigation", "Open navigation"));
    }
  }
  if (navToggle && sidebar) {
    navToggle.addEventListener("click", function () {
      var open = !document.body.classList.contains("nav-open");
      setNav(open);
      if (open) {
        var first = sidebar.querySelector("a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
        setNav(false);
        navToggle.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (document.body.classList.contains("nav-open") && !sidebar.contains(e.target) && !navToggle.contains(e.target)) setNav(false);
    });
    var current = sidebar.querySelector('[aria-current="page"]');
    // Scroll the sidebar alone (not scrollIntoView, which also moves where the keyboard's
    // first Tab starts in Chromium, past the skip link and the header).
    if (current) {
      var offset = current.getBoundingClientRect().top - sidebar.getBoundingClientRect().top;
      sidebar.scrollTop += offset - sidebar.clientHeight / 2;
    }
  }

  // The search script loads when the reader first focuses or types into the header search
  // box (the search page loads it with the page). The `/` and Ctrl/Cmd-K shortcuts are
  // here, so they work before it has loaded.
  var searchBox = document.getElementById("kiln-search");
  var searchInput = searchBox && searchBox.querySelector("input[type=search]");
  function loadSearch() {
    var src = searchBox.getAttribute("data-script");
    var loaded = Array.prototype.some.call(document.scripts, function (s) { return s.getAttribute("src") === src; });
    if (!src || loaded) return;
    var script = document.createElement("script");
    script.src = src;
    document.head.appendChild(script);
  }
  if (searchInput) {
    searchInput.addEventListener("focus", loadSearch);
    searchInput.addEventListener("input", loadSearch);
    document.addEventListener("keydown", function (e) {
      var el = document.activeElement;
      var typing = el && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable);
      if ((e.key === "/" && !typing) || (e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        searchInput.focus();
        searchInput.select();
      }
    });
  }

  // Sidebar sections fold with their button, a disclosure whose aria-expanded is the state.
  // One listener on the document, so sections the preview patches in work too.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".nav-fold");
    if (!button) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.closest(".nav-section").classList.toggle("nav-folded", !open);
  });

  // Copy buttons on code blocks. The button keeps its label ("Copy code to clipboard"), so
  // what it did is said through one polite live region, made before anything is copied
  // (screen readers announce changes to a region they already know).
  var copiedStatus = null;
  function announceCopied() {
    if (!copiedStatus) return;
    copiedStatus.textContent = "";
    setTimeout(function () { copiedStatus.textContent = say("copied_clipboard", "Copied to the clipboard"); }, 50);
  }
  function copyButtons(root) {
    var blocks = Array.prototype.slice.call(root.querySelectorAll(".code-block"));
    if (root.classList.contains("code-block")) blocks.push(root);
    blocks.forEach(addCopyButton);
    if (blocks.length && !copiedStatus) {
      copiedStatus = document.createElement("div");
      copiedStatus.className = "visually-hidden copy-status";
      copiedStatus.setAttribute("role", "status");
      copiedStatus.setAttribute("aria-live", "polite");
      document.body.appendChild(copiedStatus);
    }
  }
  function addCopyButton(block) {
    var code = block.querySelector("code");
    if (!code || block.querySelector(".copy-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = say("copy", "Copy");
    button.setAttribute("aria-label", say("copy_code", "Copy code to clipboard"));
    button.addEventListener("click", function () {
      var text = code.innerText;
      var done = function () {
        button.textContent = say("copied", "Copied");
        button.classList.add("copied");
        announceCopied();
        setTimeout(function () { button.textContent = say("copy", "Copy"); button.classList.remove("copied"); }, 1600);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else {
        fallbackCopy(text);
        done();
      }
    });
    block.appendChild(button);
  }
  copyButtons(document.body);
  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(ta);
  }

  // Tabs. Their panels are written one after another, each with its label (what prints
  // and what shows without JavaScript); here they become a tablist. Choosing a tab
  // chooses the same label in every tab set of its group (`groupId`/`syncKey`, else every
  // ungrouped set that has the label) and is remembered for the next pages.
  var tabCount = 0;
  function tabMemory(group) { return "kiln-tab:" + (group || ""); }
  function tabSets(group) {
    return Array.prototype.filter.call(document.querySelectorAll(".kiln-tabs-ready"), function (t) {
      return (t.getAttribute("data-group") || "") === group;
    });
  }
  function showTab(tabs, label, focus) {
    var buttons = tabs.querySelectorAll(":scope > .kiln-tablist > [role=tab]");
    var found = Array.prototype.some.call(buttons, function (b) { return b.textContent === label; });
    if (!found) return;
    Array.prototype.forEach.call(buttons, function (b) {
      var on = b.textContent === label;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      document.getElementById(b.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) b.focus();
    });
  }
  function chooseTab(tabs, label, focus) {
    var group = tabs.getAttribute("data-group") || "";
    tabSets(group).forEach(function (t) { showTab(t, label, focus && t === tabs); });
    try { localStorage.setItem(tabMemory(group), label); } catch (e) { /* private mode */ }
  }
  function makeTabs(tabs) {
    var panels = Array.prototype.filter.call(tabs.children, function (c) { return c.classList.contains("kiln-tab-panel"); });
    if (!panels.length || tabs.classList.contains("kiln-tabs-ready")) return;
    var list = document.createElement("div");
    list.className = "kiln-tablist";
    list.setAttribute("role", "tablist");
    panels.forEach(function (panel) {
      var id = "kiln-tab-" + (++tabCount);
      var button = document.createElement("button");
      button.type = "button";
      button.id = id;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", id + "-panel");
      button.textContent = panel.getAttribute("data-label");
      panel.id = id + "-panel";
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", id);
      panel.tabIndex = 0;
      list.appendChild(button);
    });
    tabs.insertBefore(list, tabs.firstChild);
    tabs.classList.add("kiln-tabs-ready");
    var remembered = null;
    try { remembered = localStorage.getItem(tabMemory(tabs.getAttribute("data-group") || "")); } catch (e) { /* ignore */ }
    showTab(tabs, panels[0].getAttribute("data-label"), false);
    if (remembered) showTab(tabs, remembered, false);
  }
  function tabsIn(root) {
    if (root.classList && root.classList.contains("kiln-tabs")) makeTabs(root);
    Array.prototype.forEach.call(root.querySelectorAll(".kiln-tabs"), makeTabs);
  }
  tabsIn(document);
  document.addEventListener("click", function (e) {
    var tab = e.target.closest && e.target.closest(".kiln-tablist > [role=tab]");
    if (tab) chooseTab(tab.parentNode.parentNode, tab.textContent, false);
  });
  document.addEventListener("keydown", function (e) {
    var tab = e.target.closest && e.target.closest(".kiln-tablist > [role=tab]");
    if (!tab) return;
    var all = Array.prototype.slice.call(tab.parentNode.children), i = all.indexOf(tab), next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % all.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + all.length) % all.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = all.length - 1;
    if (next < 0) return;
    e.preventDefault();
    chooseTab(tab.parentNode.parentNode, all[next].textContent, true);
  });

  // Highlight the table-of-contents entry of the heading being read.
  var observer = null;
  function watchToc() {
    if (observer) observer.disconnect();
    observer = null;
    var tocLinks = document.querySelectorAll(".toc a");
    if (!tocLinks.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    Array.prototype.forEach.call(tocLinks, function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && byId[entry.target.id]) {
          Array.prototype.forEach.call(tocLinks, function (a) { a.classList.remove("active"); });
          byId[entry.target.id].classList.add("active");
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) observer.observe(el);
    });
  }
  watchToc();

  // Diagrams: Mermaid (its script comes before this one, only on pages with a diagram)
  // draws each `pre.mermaid` from its source, which is kept so that a change of colour
  // theme draws it again. `strict`: labels are text, never HTML or links to scripts.
  function drawDiagrams(scope) {
    if (!window.mermaid) return;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("pre.mermaid"));
    if (!nodes.length) return;
    nodes.forEach(function (pre) {
      if (pre.hasAttribute("data-source")) pre.textContent = pre.getAttribute("data-source");
      else pre.setAttribute("data-source", pre.textContent);
      pre.removeAttribute("data-processed");
    });
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: root.getAttribute("data-theme") === "dark" ? "dark" : "default"
    });
    diagramsDrawn = true;
    window.mermaid.run({ nodes: nodes }).catch(function () { /* Mermaid shows the error in place */ });
  }
  drawDiagrams(document);

  // "Was this article helpful?": the form works without this (a plain submit); with it the
  // answer is sent as JSON (or in the query string for `get`) and the reader is thanked in
  // place. A mailto: form is left to the mail client.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("kiln-feedback")) return;
    var action = form.getAttribute("action") || "";
    if (action.indexOf("mailto:") === 0) return;
    e.preventDefault();
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "submit") data[el.name] = el.value;
    });
    data.answer = e.submitter && e.submitter.value || "";
    var status = form.querySelector(".kiln-feedback-status");
    var get = (form.getAttribute("method") || "post").toLowerCase() === "get";
    var url = get ? action + (action.indexOf("?") < 0 ? "?" : "&") + new URLSearchParams(data).toString() : action;
    var init = get ? { method: "GET" } : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) };
    form.setAttribute("aria-busy", "true");
    fetch(url, init).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      form.classList.add("is-sent");
      form.querySelector("fieldset").hidden = true;
      status.textContent = form.getAttribute("data-thanks");
    }).catch(function () {
      status.textContent = form.getAttribute("data-error");
    }).then(function () { form.removeAttribute("aria-busy"); });
  });

  // Reading comfort. A heading's "#" copies the link to that heading (and still goes to
  // it). An image shown smaller than it is opens full size in a modal dialog: click, Enter
  // or Space opens it; Esc, the close button or a click closes it; focus goes back.
  var linkStatus = null;
  function sayCopied(text) {
    if (!linkStatus) {
      linkStatus = document.createElement("div");
      linkStatus.className = "visually-hidden link-status";
      linkStatus.setAttribute("role", "status");
      document.body.appendChild(linkStatus);
    }
    linkStatus.textContent = "";
    setTimeout(function () { linkStatus.textContent = text; }, 50);
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.anchor");
    if (!a || !navigator.clipboard) return;
    var url = location.href.split("#")[0] + a.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      sayCopied(say("link_copied", "Link copied to the clipboard"));
    }, function () { /* no clipboard: the link still goes to the heading */ });
  });
  function zoomable(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".article-body img"), function (img) {
      if (img.closest("a, .kiln-lightbox")) return;
      var check = function () {
        if (img.naturalWidth <= img.clientWidth + 8 && img.naturalHeight <= img.clientHeight + 8) return;
        img.classList.add("zoomable");
        img.tabIndex = 0;
        img.setAttribute("role", "button");
        img.setAttribute("aria-label", say("open_image", "Open the larger image") + (img.alt ? ": " + img.alt : ""));
      };
      if (img.complete) check(); else img.addEventListener("load", check, { once: true });
    });
  }
  function openImage(img) {
    var dialog = document.createElement("dialog"), big = document.createElement("img");
    var close = document.createElement("button");
    dialog.className = "kiln-lightbox";
    dialog.setAttribute("aria-label", img.alt || say("open_image", "Open the larger image"));
    close.type = "button";
    close.className = "kiln-lightbox-close";
    close.setAttribute("aria-label", say("close", "Close"));
    close.textContent = "\u00d7";
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    dialog.appendChild(close);
    dialog.appendChild(big);
    if (img.alt) { var caption = document.createElement("p"); caption.textContent = img.alt; dialog.appendChild(caption); }
    dialog.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); img.focus(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    close.focus();
  }
  document.addEventListener("click", function (e) {
    var img = e.target.closest && e.target.closest("img.zoomable");
    if (img) openImage(img);
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.classList && e.target.classList.contains("zoomable")) {
      e.preventDefault();
      openImage(e.target);
    }
  });
  zoomable(document);

  // `kiln serve` updates an open page in place after a save when the theme says it can
  // redo its enhancements on the new nodes (see live.js).
  root.setAttribute("data-kiln-patch", "");
  document.addEventListener("kiln:patched", function (e) {
    (e.detail && e.detail.roots || []).forEach(function (node) {
      if (node && node.querySelectorAll) { copyButtons(node); tabsIn(node); drawDiagrams(node); zoomable(node); }
    });
    watchToc();
  });
})();
