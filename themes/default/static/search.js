/* search.js: searches the index search.lua writes in the browser. Every
 * word of the query must start a term of a brief (its title, summary, names
 * or text); briefs where words match whole rank first, then newer briefs.
 * Matched words are marked in the results. search-index.js lists the
 * shards, one per month, newest first; each is a script (search/<month>.js)
 * or, for a big month, its docs and its term chunks by first two letters
 * (search/<month>/d.js, search/<month>/t-<hex>.js). Shards and chunks are
 * loaded as scripts when a query needs them, so search works from a
 * folder on disk. */
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = document.querySelector(".search-results");
  var status = document.querySelector(".search-status");
  var root = form.getAttribute("data-root") || "";
  /* without clean URLs a page "x/" is the file "x.html" */
  var clean = form.getAttribute("data-clean") !== "false";
  var index = window.briefingSearch || { count: 0, shards: [] };
  var shards = index.shards || [];
  /* a brief's number: its shard's place (newest first) and its own in the
   * shard (newest first), so that ascending numbers are newest first */
  var SPAN = 1048576;
  var loaded = {}, waiting = {};
  var shown = 50, seq = 0;

  /* the chunk scripts call this */
  index.load = function (name, data) {
    loaded[name] = data;
    (waiting[name] || []).forEach(function (f) { f(); });
    delete waiting[name];
  };
  window.briefingSearch = index;

  function link(u) { return clean ? u : u.replace(/\/$/, ".html"); }

  function fold(s) {
    return String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function words(s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  function need(name) {
    if (loaded[name]) return Promise.resolve(loaded[name]);
    return new Promise(function (resolve) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push(function () { resolve(loaded[name]); });
      if (!first) return;
      var s = document.createElement("script");
      s.src = root + "search/" + name + ".js";
      s.addEventListener("error", function () { index.load(name, {}); });
      document.head.appendChild(s);
    });
  }

  function hex(s) {
    return Array.from(new TextEncoder().encode(s), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /* the term tables a query word can match, with their shard's number:
   * every shard's, or of a split shard the chunks of the word's first two
   * characters (of its first one for a one-letter word) */
  function tables(w) {
    var key = hex(Array.from(w).slice(0, 2).join(""));
    var wanted = [];
    shards.forEach(function (sh, i) {
      if (!sh.p) { wanted.push([i, sh.m, "terms"]); return; }
      sh.p.forEach(function (k) {
        if (k.indexOf(key) === 0) wanted.push([i, sh.m + "/t-" + k, null]);
      });
    });
    return Promise.all(wanted.map(function (x) {
      return need(x[1]).then(function (data) {
        return { shard: x[0], terms: (x[2] ? data[x[2]] : data) || {} };
      });
    }));
  }

  function decode(p) {
    var ids = [], n = 0;
    p.split(",").forEach(function (d, i) { n = (i ? n : 0) + parseInt(d, 36); ids.push(n); });
    return ids;
  }

  /* brief number -> {exact, term} for one query word */
  function matches(w, tabs) {
    var found = new Map();
    tabs.forEach(function (tab) {
      var t = tab.terms, base = tab.shard * SPAN;
      Object.keys(t).forEach(function (term) {
        if (term.lastIndexOf(w, 0) !== 0) return;
        var exact = term === w;
        decode(t[term]).forEach(function (local) {
          var id = base + local;
          var m = found.get(id);
          if (!m || (exact && !m.exact)) found.set(id, { exact: exact, term: term });
        });
      });
    });
    return found;
  }

  function docs(ids) {
    var names = {};
    ids.forEach(function (id) {
      var sh = shards[Math.floor(id / SPAN)];
      names[sh.p ? sh.m + "/d" : sh.m] = true;
    });
    return Promise.all(Object.keys(names).map(need)).then(function () {
      return ids.map(function (id) {
        var sh = shards[Math.floor(id / SPAN)];
        var data = loaded[sh.p ? sh.m + "/d" : sh.m] || {};
        return (sh.p ? data : data.docs || [])[id % SPAN];
      });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* appends text to parent, with the words that start with a query word
   * in <mark>; returns the query words it marked */
  function marked(parent, text, qs) {
    var hit = {};
    String(text).split(/([\p{L}\p{N}]+)/u).forEach(function (part, i) {
      if (!part) return;
      var f = i % 2 ? fold(part) : "";
      var q = f && qs.filter(function (w) { return f.lastIndexOf(w, 0) === 0; })[0];
      if (q) { hit[q] = true; parent.appendChild(el("mark", null, part)); }
      else parent.appendChild(document.createTextNode(part));
    });
    return hit;
  }

  function show(q, qs, hits, ds) {
    list.textContent = "";
    status.textContent = hits.length + (hits.length === 1 ? " brief" : " briefs") +
      " for \u201c" + q + "\u201d";
    hits.slice(0, shown).forEach(function (h, n) {
      var d = ds[n];
      if (!d) return; /* its chunk failed to load */
      var li = el("li", "search-result"), card = el("article", "brief-card");
      var h2 = el("h2", "brief-title"), a = el("a");
      var hit = marked(a, d.t, qs);
      a.href = root + link(d.u);
      h2.appendChild(a);
      card.appendChild(h2);
      var time = el("time", "brief-date", d.d);
      time.setAttribute("datetime", d.i);
      var meta = el("p", "meta");
      meta.appendChild(time);
      card.appendChild(meta);
      if (d.s) {
        var s = el("p", "brief-summary");
        Object.assign(hit, marked(s, d.s, qs));
        card.appendChild(s);
      }
      var rest = qs.filter(function (w) { return !hit[w]; });
      if (rest.length) {
        var p = el("p", "search-found", "Also matched: ");
        rest.forEach(function (w, i) {
          if (i) p.appendChild(document.createTextNode(", "));
          p.appendChild(el("mark", null, h.terms[w]));
        });
        card.appendChild(p);
      }
      li.appendChild(card);
      list.appendChild(li);
    });
  }

  function search(q) {
    var mine = ++seq, qs = words(q);
    qs = qs.filter(function (w, i) { return qs.indexOf(w) === i; });
    if (!qs.length) { list.textContent = ""; status.textContent = ""; return; }
    Promise.all(qs.map(tables)).then(function (tabs) {
      if (mine !== seq) return;
      var per = qs.map(function (w, i) { return matches(w, tabs[i]); });
      var hits = [];
      per[0].forEach(function (m, id) {
        var h = { id: id, score: 0, terms: {} };
        for (var i = 0; i < qs.length; i++) {
          var mi = per[i].get(id);
          if (!mi) return;
          h.score += mi.exact ? 2 : 1;
          h.terms[qs[i]] = mi.term;
        }
        hits.push(h);
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return docs(hits.slice(0, shown).map(function (h) { return h.id; })).then(function (ds) {
        if (mine === seq) show(q, qs, hits, ds);
      });
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    search(input.value);
    if (history.replaceState) history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  });
  input.addEventListener("input", function () { search(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q); }
})();
