// Kiln search: queries the sharded index under <base>/search/, fetching only the dictionary
// buckets, postings chunks and fragment bundles a query needs. Plain JavaScript, no
// dependencies. The tokenizer mirrors src/search/tokenize/ (the Rust side stems; the index
// maps every surface form to its stem, so no stemmer is needed here).
(function () {
  "use strict";
  var baseMeta = document.querySelector('meta[name="kiln-base"]');
  var BASE = baseMeta ? baseMeta.content : "/";
  var ROOT = BASE + "search/";
  var KEY_CHARS = 3;
  var MAX_CODE_LEN = 48;
  var LEAD = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb([{<*_~,;:!?.`|&=「『（【、。，：；！？《〈・";
  var TRAIL = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb)]}>*_~,;:!?.`|&=」』）】、。，：；！？》〉・";
  // Scripts written without spaces (tokenize/cjk.rs `is_cjk`): Hangul jamo, kana, Han, Hangul.
  var RE_CJK = /[\u1100-\u11ff\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{3134f}]/u;
  // The page's words when it is not in English; counted phrases by the language's plural rules.
  var WORDS = {};
  try { WORDS = JSON.parse(document.getElementById("kiln-strings").textContent); } catch (e) { /* English */ }
  var PLURAL = null;
  try { PLURAL = new Intl.PluralRules(document.documentElement.lang || "en"); } catch (e) { /* English rules */ }
  function say(key, english, args) {
    var w = WORDS[key] === undefined ? english : WORDS[key];
    if (typeof w === "object") {
      var n = args && args.n, cat = PLURAL ? PLURAL.select(n) : (n === 1 ? "one" : "other");
      w = w[cat] || w.other || "";
    }
    return String(w).replace(/\{(\w+)\}/g, function (m, k) { return args && args[k] !== undefined ? String(args[k]) : m; });
  }
  var RE_WORD = /[\p{L}\p{N}]/u, RE_NUM = /\p{N}/u, RE_UP = /\p{Lu}/u, RE_LOW = /\p{Ll}/u, RE_ALPHA = /^\p{L}+$/u;

  // ---- fetching -------------------------------------------------------------------------
  var cache = new Map();
  function load(path, kind) {
    if (!cache.has(path)) {
      cache.set(path, fetch(ROOT + path).then(function (r) {
        if (!r.ok) return null;
        if (kind === "json") return r.json();
        var inflated = new Response(r.body.pipeThrough(new DecompressionStream("gzip")));
        return kind === "bin" ? inflated.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : inflated.json();
      }).catch(function () { return null; }));
    }
    return cache.get(path);
  }
  var metaPromise = null;
  function meta() { return metaPromise || (metaPromise = load("meta.json", "json")); }

  // ---- tokenizer (mirror of tokenize/) -------------------------------------------------------
  function fold(s) {
    return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function chars(s) { return Array.from(s); }
  function trimChunk(s) {
    for (;;) {
      var before = s.length;
      while (s && LEAD.indexOf(s[0]) >= 0) s = s.slice(1);
      var c = chars(s), last = c[c.length - 1];
      if (last && TRAIL.indexOf(last) >= 0 && !(last === ")" && count(s, "(") >= count(s, ")"))) s = c.slice(0, -1).join("");
      if (s.length === before) return s;
    }
  }
  function count(s, ch) { return s.split(ch).length - 1; }
  function humps(word) {
    var c = chars(word), cuts = [0], out = [];
    for (var i = 1; i < c.length; i++) {
      var p = c[i - 1], cur = c[i], next = c[i + 1];
      var digitChange = RE_NUM.test(p) !== RE_NUM.test(cur);
      var lowerUpper = RE_LOW.test(p) && RE_UP.test(cur);
      var acronymEnd = RE_UP.test(p) && RE_UP.test(cur) && next !== undefined && RE_LOW.test(next);
      if (digitChange || lowerUpper || acronymEnd) cuts.push(i);
    }
    cuts.push(c.length);
    for (var j = 1; j < cuts.length; j++) if (cuts[j] > cuts[j - 1]) out.push(c.slice(cuts[j - 1], cuts[j]).join(""));
    return out;
  }
  function pushWord(word, whole, out) {
    var f = fold(word), hasDigit = RE_NUM.test(f), kind = hasDigit ? "code" : "word";
    if (chars(f).length >= 2 || (whole && hasDigit)) out.push({ t: f, kind: kind });
    if (!(hasDigit || chars(word).slice(1).some(function (ch) { return RE_UP.test(ch); }))) return;
    var pieces = humps(word);
    if (pieces.length > 1) pieces.forEach(function (p) {
      var g = fold(p);
      if (chars(g).length >= 2) out.push({ t: g, kind: RE_NUM.test(g) ? "code" : "word" });
    });
  }
  // Runs of CJK characters become their character pairs; the text around them is
  // tokenized as chunks of its own (tokenize/cjk.rs `cjk_chunk`).
  function cjkRun(run, out) {
    var c = chars(run.normalize("NFKC").toLowerCase());
    if (c.length === 1) { out.push({ t: c[0], kind: "cjk" }); return; }
    for (var i = 0; i + 1 < c.length; i++) out.push({ t: c[i] + c[i + 1], kind: "cjk" });
  }
  function cjkChunk(raw) {
    var out = [], run = "", inCjk = false;
    chars(raw).concat([null]).forEach(function (ch) {
      var cjk = ch !== null && RE_CJK.test(ch);
      if (ch !== null && cjk === inCjk) { run += ch; return; }
      if (run) { if (inCjk) cjkRun(run, out); else out.push.apply(out, tokenizeChunk(run)); }
      run = ch === null ? "" : ch;
      inCjk = cjk;
    });
    return out;
  }
  function tokenizeChunk(raw) {
    if (RE_CJK.test(raw)) return cjkChunk(raw);
    var out = [], chunk = trimChunk(raw);
    if (!chunk) return out;
    if (chars(chunk).every(function (ch) { return RE_WORD.test(ch); })) { pushWord(chunk, true, out); return out; }
    var f = fold(chunk);
    if (chars(f).length <= MAX_CODE_LEN && RE_WORD.test(f)) out.push({ t: f, kind: "code" });
    chunk.split(/[^\p{L}\p{N}]+/u).forEach(function (p) { if (p) pushWord(p, false, out); });
    return out;
  }
  function tokenize(text) {
    var out = [];
    text.split(/[\s\u200b]+/u).forEach(function (c) { out.push.apply(out, tokenizeChunk(c)); });
    return out;
  }

  // ---- dictionary ----------------------------------------------------------------------------
  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function keyOf(w) { var c = chars(w); return c.slice(0, RE_CJK.test(c[0] || "") ? 1 : KEY_CHARS).join(""); }
  // Entries [surface, chunk, index, df] whose key is the word's key (all parts when split).
  function entriesFor(m, word) {
    var key = keyOf(word);
    return load("d/" + (fnv1a(key) % m.buckets) + ".kd").then(function (bucket) {
      var v = bucket && bucket[key];
      if (!v) return [];
      if (Array.isArray(v)) return v;
      var hex = Array.from(new TextEncoder().encode(key), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      // Parts are sorted: the word and its completions live from the last part starting <= word.
      var idx = 0;
      v.parts.forEach(function (p, i) { if (p[0] <= word) idx = i; });
      var wanted = v.parts.filter(function (p, i) { return i === idx || (i > idx && p[0].indexOf(word) === 0); }).slice(0, 3);
      return Promise.all(wanted.map(function (p) { return load("d/k" + hex + "." + p[1] + ".kd"); }))
        .then(function (lists) { return [].concat.apply([], lists.map(function (l) { return l || []; })); });
    });
  }
  // Damerau (optimal string alignment) distance, capped: true when exactly one edit apart.
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  // Expansions of one token: exact (1), completions (0.75, last word only) and one typo
  // (0.6, letters-only words of 5+ characters with no exact match).
  function expand(m, tok, prefix) {
    return entriesFor(m, tok.t).then(function (entries) {
      var out = [], exact = false;
      entries.forEach(function (e) { if (e[0] === tok.t) { out.push({ e: e, w: 1 }); exact = true; } });
      var len = chars(tok.t).length;
      if (prefix && (len >= 3 || (tok.kind === "cjk" && len === 1))) {
        // A word that is already whole takes only the completions stored beside it (same
        // postings chunk, no extra download); a partial word takes the 8 most frequent.
        var home = exact ? out[0].e[1] : -1;
        entries.filter(function (e) { return e[0] !== tok.t && e[0].indexOf(tok.t) === 0 && (home < 0 || e[1] === home); })
          .sort(function (a, b) { return b[3] - a[3]; }).slice(0, 8)
          .forEach(function (e) { out.push({ e: e, w: 0.75 }); });
      }
      if (!exact && tok.kind === "word" && tok.t.length >= 5) {
        entries.filter(function (e) { return RE_ALPHA.test(e[0]) && oneEdit(tok.t, e[0]); })
          .sort(function (a, b) { return b[3] - a[3]; }).slice(0, 5)
          .forEach(function (e) { out.push({ e: e, w: 0.6 }); });
      }
      return out;
    });
  }

  // ---- postings ------------------------------------------------------------------------------
  var decoded = new Map();
  function postings(chunk) {
    if (!decoded.has(chunk)) {
      decoded.set(chunk, load("p/" + chunk + ".kp", "bin").then(function (bytes) {
        var lists = [], pos = 0;
        function varint() { var v = 0, s = 0, b; do { b = bytes[pos++]; v += (b & 0x7f) * Math.pow(2, s); s += 7; } while (b & 0x80); return v; }
        while (bytes && pos < bytes.length) {
          var n = varint(), docs = new Uint32Array(n), imp = new Uint8Array(n), d = 0;
          for (var i = 0; i < n; i++) { d += varint(); docs[i] = d; imp[i] = bytes[pos++]; }
          lists.push({ docs: docs, imp: imp });
        }
        return lists;
      }));
    }
    return decoded.get(chunk);
  }

  // ---- queries -------------------------------------------------------------------------------
  // A query is a list of terms (whitespace chunks, or words of "quoted phrases"); each term is
  // its tokens: a code whole (weight 1) and its parts (0.35).
  function parse(q, stop) {
    var terms = [], phrases = [];
    q.split('"').forEach(function (seg, i) {
      var inPhrase = i % 2 === 1;
      if (inPhrase && seg.trim()) phrases.push(fold(seg).replace(/\s+/g, " ").trim());
      seg.split(/\s+/).forEach(function (chunk) {
        var toks = tokenizeChunk(chunk);
        if (!toks.length) return;
        if (toks.length === 1 && toks[0].kind === "word" && stop.indexOf(toks[0].t) >= 0) return;
        // Each character pair of unspaced text is a term of its own: pages holding them all
        // come first.
        if (toks.some(function (t) { return t.kind === "cjk"; })) {
          toks.forEach(function (t) { terms.push({ toks: [{ t: t.t, kind: t.kind, w: 1 }], phrase: inPhrase }); });
          return;
        }
        terms.push({ toks: toks.map(function (t, j) { return { t: t.t, kind: t.kind, w: j === 0 ? 1 : 0.35 }; }), phrase: inPhrase });
      });
    });
    var lastChunk = q.replace(/\s+$/, "") === q && !/"\s*$/.test(q);
    if (terms.length && lastChunk && !terms[terms.length - 1].phrase) terms[terms.length - 1].prefix = true;
    return { terms: terms, phrases: phrases };
  }

  function run(q) {
    var t0 = performance.now();
    return meta().then(function (m) {
      if (!m) return { hits: [], terms: [], m: null };
      var parsed = parse(q, m.stop);
      return Promise.all(parsed.terms.map(function (term) {
        return Promise.all(term.toks.map(function (tok) { return expand(m, tok, term.prefix); }));
      })).then(function (expanded) {
        var chunks = {};
        expanded.forEach(function (perTok) { perTok.forEach(function (ex) { ex.forEach(function (x) { chunks[x.e[1]] = true; }); }); });
        return Promise.all(Object.keys(chunks).map(function (c) { return postings(+c).then(function (l) { return [c, l]; }); }))
          .then(function (loaded) {
            var t1 = performance.now();
            var lists = {};
            loaded.forEach(function (p) { lists[p[0]] = p[1]; });
            var res = score(parsed, expanded, lists, m.n);
            res.m = m;
            res.phrases = parsed.phrases;
            res.fetchMs = t1 - t0;
            res.scoreMs = performance.now() - t1;
            return res;
          });
      });
    });
  }

  // Accumulates in typed arrays indexed by doc id (no Map, no per-posting allocation): at
  // 100k documents a three-word query touches tens of thousands of postings.
  function score(parsed, expanded, lists, n) {
    var total = new Float64Array(n), mask = new Uint32Array(n), best = new Float64Array(n);
    var seen = [], touched = [], surfaces = [];
    expanded.forEach(function (perTok, ti) {
      var term = parsed.terms[ti], bit = ti < 30 ? 1 << ti : 0;
      var primaryKnown = perTok[0].length > 0;
      perTok.forEach(function (ex, k) {
        var tokW = term.toks[k].w;
        touched.length = 0;
        // A completion of a word typed whole counts no more than that word does at its best:
        // a rare code token that starts with it ("headers={…") must not outrank the word.
        var cap = 255;
        ex.forEach(function (x) {
          var list = x.w === 1 && lists[x.e[1]] && lists[x.e[1]][x.e[2]];
          if (list) { cap = 0; for (var i = 0; i < list.imp.length; i++) if (list.imp[i] > cap) cap = list.imp[i]; }
        });
        ex.forEach(function (x) {
          surfaces.push(x.e[0]);
          var list = lists[x.e[1]] && lists[x.e[1]][x.e[2]];
          if (!list) return;
          var top = x.w === 1 ? 255 : cap;
          for (var i = 0; i < list.docs.length; i++) {
            var d = list.docs[i], s = Math.min(list.imp[i], top) * x.w;
            if (d >= n) continue;
            if (best[d] === 0) touched.push(d);
            if (s > best[d]) best[d] = s;
          }
        });
        var counts = k === 0 || !primaryKnown;
        for (var j = 0; j < touched.length; j++) {
          var d = touched[j];
          if (total[d] === 0) seen.push(d);
          total[d] += best[d] * tokW;
          if (counts) mask[d] |= bit;
          best[d] = 0;
        }
      });
    });
    function matched(d) { var c = 0, x = mask[d]; while (x) { c += x & 1; x >>>= 1; } return c; }
    var hits;
    if (n <= 1048576) {
      // One native numeric sort of packed keys (terms matched, then score to 1/64, then doc
      // id ascending) instead of a comparator over tens of thousands of objects.
      var keys = new Float64Array(seen.length);
      for (var i = 0; i < seen.length; i++) {
        var d = seen[i], sc = Math.min(Math.floor(total[d] * 64), 33554431);
        keys[i] = matched(d) * 35184372088832 + sc * 1048576 + (1048575 - d);
      }
      keys.sort();
      hits = new Array(keys.length);
      for (var j = 0; j < keys.length; j++) {
        var dd = 1048575 - (keys[keys.length - 1 - j] % 1048576);
        hits[j] = { doc: dd, score: total[dd], matched: matched(dd) };
      }
    } else {
      hits = seen.map(function (d) { return { doc: d, score: total[d], matched: matched(d) }; });
      hits.sort(function (a, b) { return b.matched - a.matched || b.score - a.score || a.doc - b.doc; });
    }
    return { hits: hits, terms: parsed.terms, surfaces: surfaces };
  }

  // ---- fragments, facets, snippets -----------------------------------------------------------
  function fragment(m, doc) {
    return load("f/" + Math.floor(doc / m.bundle) + ".kf").then(function (b) { return b && b[doc % m.bundle]; });
  }
  // Hits per category and folder. Sections are contiguous doc ranges, so each count is two
  // binary searches in the sorted hit ids (not a walk over every section for every hit).
  function facets(m, hits) {
    var docs = new Uint32Array(hits.length), counts = {};
    hits.forEach(function (h, i) { docs[i] = h.doc; });
    docs.sort();
    function below(x) {
      var lo = 0, hi = docs.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (docs[mid] < x) lo = mid + 1; else hi = mid; }
      return lo;
    }
    m.sections.forEach(function (s, i) {
      var c = s[2] <= 2 ? below(s[4]) - below(s[3]) : 0;
      if (c) counts[i] = c;
    });
    return counts;
  }
  function inSection(m, doc, s) { var r = m.sections[s]; return !r || (doc >= r[3] && doc < r[4]); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function matcher(surfaces) {
    var uniq = Array.from(new Set(surfaces)).filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    if (!uniq.length) return null;
    return new RegExp("(?<![\\p{L}\\p{N}])(" + uniq.map(function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "giu");
  }
  function highlight(text, re) {
    if (!re) return esc(text);
    var out = "", last = 0;
    text.replace(re, function (mt, g, off) { out += esc(text.slice(last, off)) + "<mark>" + esc(mt) + "</mark>"; last = off + mt.length; return mt; });
    return out + esc(text.slice(last));
  }
  function snippet(f, re) {
    var text = f.b || "", at = -1;
    if (re) { re.lastIndex = 0; var mt = re.exec(text); if (mt) at = mt.index; }
    if (at < 0) return highlight(f.d || text.slice(0, 160), re);
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 70)));
    var end = text.indexOf(" ", Math.min(text.length, at + 150));
    if (end < 0) end = text.length;
    return (start > 0 ? "… " : "") + highlight(text.slice(start, end).trim(), re) + (end < text.length ? " …" : "");
  }
  function subResults(f, re) {
    if (!re) return [];
    return (f.h || []).filter(function (h) { re.lastIndex = 0; return re.test(fold(h[1])) || (re.lastIndex = 0, re.test(h[1])); }).slice(0, 3);
  }
  function phraseOk(f, phrases) {
    if (!phrases.length) return true;
    var hay = fold([f.t, f.d, f.b].join(" ")).replace(/\s+/g, " ");
    // A fragment cut short cannot disprove a phrase further down: keep it.
    return phrases.every(function (p) { return hay.indexOf(p) >= 0; }) || f.x === 1;
  }
  // Top `limit` hits (after the section filter) with their fragments; phrases are checked here.
  function resolve(res, limit, section) {
    var m = res.m, pool = res.hits.filter(function (h) { return section < 0 || inSection(m, h.doc, section); });
    var out = [], i = 0, tries = 0;
    function step() {
      if (out.length >= limit || i >= pool.length || tries > 60) return Promise.resolve(out);
      var batch = pool.slice(i, i + limit - out.length);
      i += batch.length;
      tries += batch.length;
      return Promise.all(batch.map(function (h) { return fragment(m, h.doc).then(function (f) { return { h: h, f: f }; }); }))
        .then(function (rows) {
          rows.forEach(function (r) { if (r.f && phraseOk(r.f, res.phrases)) out.push(r); });
          return step();
        });
    }
    return step().then(function (rows) {
      if (res.phrases.length) res.total = rows.length + Math.max(0, pool.length - i);
      else res.total = pool.length;
      return rows;
    });
  }

  // ---- UI: header combobox ------------------------------------------------------------------
  function debounce(fn, ms) { var t; return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); }; }
  function optionHtml(r, re, id) {
    // An option holds no link (nothing interactive inside an option): choosing it navigates.
    var f = r.f, html = '<li role="option" id="' + id + '" class="search-option" aria-selected="false" data-href="' + esc(f.u) + '">' +
      '<span class="search-choice"><span class="search-title">' + highlight(f.t, re) + '</span>' +
      (f.c ? '<span class="search-trail">' + esc(f.c) + "</span>" : "") + '<span class="search-snippet">' + snippet(f, re) + "</span></span></li>";
    subResults(f, re).forEach(function (h, k) {
      html += '<li role="option" id="' + id + "-" + k + '" class="search-option search-sub" aria-selected="false" data-href="' + esc(f.u + "#" + h[0]) + '">' +
        '<span class="search-choice">' + highlight(h[1], re) + "</span></li>";
    });
    return html;
  }

  function initCombobox(form) {
    var input = form.querySelector("input[type=search]"), panel = form.querySelector(".search-panel"), list = panel.querySelector("[role=listbox]");
    var status = form.querySelector(".search-status"), active = -1, seq = 0;
    function options() { return list.querySelectorAll("[role=option]"); }
    function setActive(i) {
      var opts = options();
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = opts.length ? (i + opts.length) % opts.length : -1;
      if (active >= 0) {
        opts[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[active].id);
        opts[active].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    // Nothing selected: Enter then submits the form (the full search page), never a result
    // the reader did not choose.
    function clear() {
      var opts = options();
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }
    function open(yes) { panel.hidden = !yes; input.setAttribute("aria-expanded", yes ? "true" : "false"); if (!yes) clear(); }
    var update = debounce(function () {
      var q = input.value.trim(), mine = ++seq;
      if (!q) { open(false); return; }
      run(q).then(function (res) {
        return resolve(res, 6, -1).then(function (rows) {
          if (mine !== seq) return;
          var t = performance.now(), re = matcher(res.surfaces);
          list.innerHTML = rows.map(function (r, i) { return optionHtml(r, re, "kiln-opt-" + i); }).join("") ||
            '<li class="search-empty" role="presentation">' + esc(say("no_results_for", "No results for “{q}”", { q: q })) + "</li>";
          list.setAttribute("data-render-ms", (performance.now() - t + res.scoreMs).toFixed(1));
          list.setAttribute("data-query", q);
          var all = panel.querySelector(".search-all");
          all.href = BASE + "search/?q=" + encodeURIComponent(q);
          all.textContent = res.total > rows.length ? say("see_all_results", "See all {n} results", { n: res.total }) : say("open_search_page", "Open the search page");
          if (status) status.textContent = say("results", { one: "{n} result", other: "{n} results" }, { n: res.total });
          var support = panel.querySelector(".search-support");
          if (support) support.hidden = res.total > 0;
          active = -1;
          input.removeAttribute("aria-activedescendant");
          open(true);
        });
      });
    }, 90);
    input.addEventListener("input", update);
    input.addEventListener("focus", function () { if (input.value.trim() && list.children.length) open(true); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (panel.hidden) update(); else setActive(active + 1); }
      // From nothing selected, up goes to the last result (not the one before it).
      else if (e.key === "ArrowUp") { e.preventDefault(); if (panel.hidden) update(); else setActive(active < 0 ? -1 : active - 1); }
      else if (e.key === "Enter") {
        var opts = options();
        if (active >= 0 && opts[active]) { e.preventDefault(); location.href = opts[active].getAttribute("data-href"); }
      } else if (e.key === "Escape") {
        if (!panel.hidden) { e.preventDefault(); open(false); } else if (input.value) { input.value = ""; } else input.blur();
      }
    });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    // A plain click opens the result here; Ctrl/Cmd-, Shift- or middle-click in a new tab,
    // as a link would.
    function choose(e) {
      var li = e.target.closest("[role=option]");
      if (!li || e.button > 1) return;
      var href = li.getAttribute("data-href");
      if (e.button === 1 || e.ctrlKey || e.metaKey || e.shiftKey) window.open(href, "_blank", "noopener");
      else location.href = href;
    }
    list.addEventListener("click", choose);
    list.addEventListener("auxclick", choose);
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
    // This script loads when the box is first focused or typed into (kiln.js): what was
    // typed before it arrived is searched now.
    if (document.activeElement === input && input.value.trim()) update();
  }

  // ---- UI: the /search/ page ------------------------------------------------------------------
  function initPage(page) {
    var input = page.querySelector("input[type=search]"), out = page.querySelector(".search-results");
    var facetsEl = page.querySelector(".search-facets"), status = page.querySelector(".search-status");
    var params = new URLSearchParams(location.search), section = +(params.get("in") || -1), limit = 20, seq = 0;
    input.value = params.get("q") || "";
    function render() {
      var q = input.value.trim(), mine = ++seq;
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      if (section >= 0) url.searchParams.set("in", section); else url.searchParams.delete("in");
      history.replaceState(null, "", url);
      if (!q) { out.innerHTML = ""; facetsEl.innerHTML = ""; status.textContent = ""; return; }
      run(q).then(function (res) {
        return resolve(res, limit, section).then(function (rows) {
          if (mine !== seq) return;
          var t = performance.now(), re = matcher(res.surfaces), m = res.m;
          var counts = facets(m, res.hits), html = "";
          // Categories always; the folders of the selected category too.
          var selCat = section < 0 ? -1 : m.sections[section][2] === 1 ? section : m.sections[section][1];
          m.sections.forEach(function (s, i) {
            if (!counts[i] || !(s[2] === 1 || (s[2] === 2 && s[1] === selCat))) return;
            html += '<button type="button" class="facet facet-depth-' + s[2] + '" data-section="' + i + '" aria-pressed="' + (section === i) + '">' +
              esc(s[0]) + ' <span class="facet-count">' + counts[i] + "</span></button>";
          });
          facetsEl.innerHTML = html;
          out.innerHTML = rows.map(function (r) {
            var f = r.f, subs = subResults(f, re).map(function (h) {
              return '<li><a href="' + esc(f.u + "#" + h[0]) + '">' + highlight(h[1], re) + "</a></li>";
            }).join("");
            return '<li class="search-hit"><a class="search-title" href="' + esc(f.u) + '">' + highlight(f.t, re) + "</a>" +
              (f.c ? '<p class="search-trail">' + esc(f.c) + "</p>" : "") + '<p class="search-snippet">' + snippet(f, re) + "</p>" +
              (subs ? '<ul class="search-subs">' + subs + "</ul>" : "") + "</li>";
          }).join("");
          out.setAttribute("data-render-ms", (performance.now() - t + res.scoreMs).toFixed(1));
          out.setAttribute("data-query", q);
          status.textContent = res.total ? say("results_for", { one: "{n} result for “{q}”", other: "{n} results for “{q}”" }, { n: res.total, q: q }) : say("no_results_for", "No results for “{q}”", { q: q });
          var support = page.querySelector(".search-support");
          if (support) support.hidden = res.total > 0;
          if (res.total > rows.length) {
            out.insertAdjacentHTML("beforeend", '<li class="search-more"><button type="button">' + esc(say("show_more_results", "Show more results")) + "</button></li>");
          }
        });
      });
    }
    input.addEventListener("input", debounce(function () { limit = 20; render(); }, 90));
    facetsEl.addEventListener("click", function (e) {
      var b = e.target.closest("[data-section]");
      if (!b) return;
      var s = +b.getAttribute("data-section");
      section = section === s ? -1 : s;
      render();
    });
    out.addEventListener("click", function (e) { if (e.target.closest(".search-more button")) { limit += 20; render(); } });
    page.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); render(); });
    render();
  }

  var form = document.querySelector(".search-form");
  if (form && window.DecompressionStream) initCombobox(form);
  var page = document.getElementById("kiln-search-page");
  if (page && window.DecompressionStream) initPage(page);
  window.kilnSearch = { tokenize: tokenize, run: run, resolve: resolve, fnv1a: fnv1a };
})();
