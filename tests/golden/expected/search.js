/* search.js: searches window.briefingSearch (written by search.lua) in the
 * browser. Every word of the query must appear in a brief's title,
 * summary, topics or people; title matches rank first, then newer briefs. */
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
  function link(u) { return clean ? u : u.replace(/\/$/, ".html"); }
  var docs = (window.briefingSearch || []).map(function (d) {
    return { doc: d, title: fold(d.t), rest: fold(d.s + " " + d.k) };
  });

  function fold(s) {
    return String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function search(q) {
    var words = fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var hits = [];
    docs.forEach(function (x, n) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        if (x.title.indexOf(w) >= 0) score += 3;
        else if (x.rest.indexOf(w) >= 0) score += 1;
        else return;
      }
      hits.push({ x: x, score: score, n: n });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    status.textContent = hits.length + (hits.length === 1 ? " brief" : " briefs") +
      " for \u201c" + q + "\u201d";
    hits.slice(0, 50).forEach(function (h) {
      var d = h.x.doc, li = el("li", "search-result"), card = el("article", "brief-card");
      var h3 = el("h3", "brief-title"), a = el("a", null, d.t);
      a.href = root + link(d.u);
      h3.appendChild(a);
      card.appendChild(h3);
      var time = el("time", "brief-date", d.d);
      time.setAttribute("datetime", d.i);
      var meta = el("p", "meta");
      meta.appendChild(time);
      card.appendChild(meta);
      if (d.s) card.appendChild(el("p", "brief-summary", d.s));
      li.appendChild(card);
      list.appendChild(li);
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
