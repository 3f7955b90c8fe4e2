/* tei-edition: client-side search over window.TEI_EDITION_SEARCH (search-index.js).
   Works from file:// and over http: the index is a script, not a fetched file.
   Matching ignores case and accents; every word of the query must occur. Results are built
   with DOM methods and textContent only. */
(function () {
  "use strict";

  var records = window.TEI_EDITION_SEARCH || [];
  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var LIMIT = 200;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var folded = records.map(function (r) { return fold(r.t + " " + r.d); });

  function snippet(text, term) {
    var f = fold(text);
    var at = f.indexOf(term);
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, at + term.length + 120);
    var p = document.createElement("p");
    if (start > 0) { p.appendChild(document.createTextNode("…")); }
    p.appendChild(document.createTextNode(text.slice(start, Math.max(start, at))));
    if (at >= 0) {
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + term.length);
      p.appendChild(mark);
      p.appendChild(document.createTextNode(text.slice(at + term.length, end)));
    }
    if (end < text.length) { p.appendChild(document.createTextNode("…")); }
    return p;
  }

  function run(query) {
    list.replaceChildren();
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { status.textContent = ""; return; }
    var hits = [];
    for (var i = 0; i < records.length; i++) {
      var ok = terms.every(function (t) { return folded[i].indexOf(t) >= 0; });
      if (ok) { hits.push(i); }
    }
    status.textContent = hits.length === 0 ? "No results for “" + query + "”."
      : hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + query + "”" +
        (hits.length > LIMIT ? " (showing the first " + LIMIT + ")." : ".");
    hits.slice(0, LIMIT).forEach(function (i) {
      var r = records[i];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.u;
      a.textContent = r.d;
      li.appendChild(a);
      li.appendChild(snippet(r.t, terms[0]));
      list.appendChild(li);
    });
  }

  if (form && input) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value;
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(q)); } catch (e) { /* file:// may refuse */ }
      run(q);
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(initial); }
  }
})();
