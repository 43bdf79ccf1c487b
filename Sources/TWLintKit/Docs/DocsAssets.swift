/// The site's stylesheet and search script: static text, no external resources.
enum DocsAssets {
    static let stylesheet = """
    :root { --fg: #1d2329; --muted: #5b6570; --line: #d5dbe1; --accent: #0b5cad; --bg: #fff; --code: #f3f5f7; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    header { background: #14324f; padding: .6rem 1rem; }
    header a { color: #dce9f5; margin-right: 1rem; text-decoration: none; }
    header a.home { font-weight: 700; color: #fff; }
    main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    footer { color: var(--muted); font-size: .85rem; text-align: center; padding: 1rem; border-top: 1px solid var(--line); }
    a { color: var(--accent); }
    h1 { font-size: 1.7rem; margin: .8rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
    code { background: var(--code); padding: 0 .2em; border-radius: 3px; font-size: .92em; }
    pre { background: var(--code); padding: .7rem; overflow-x: auto; border-radius: 4px; }
    pre code { padding: 0; background: none; }
    table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
    th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
    table.facts th { width: 12rem; color: var(--muted); font-weight: 600; }
    .summary { font-size: 1.08rem; color: var(--muted); }
    .sev-error { color: #b3261e; font-weight: 600; } .sev-warning { color: #9a6700; font-weight: 600; } .sev-info { color: #2c6e49; font-weight: 600; }
    h1 .code { font-family: ui-monospace, monospace; color: var(--accent); }
    .example { border-left: 4px solid var(--line); padding-left: .8rem; margin: 1rem 0; }
    .example.trigger { border-color: #b3261e; } .example.pass { border-color: #2c6e49; }
    .search input { width: 100%; font-size: 1.05rem; padding: .55rem .7rem; border: 1px solid var(--line); border-radius: 4px; }
    #results { list-style: none; padding: 0; } #results li { padding: .25rem 0; border-bottom: 1px solid var(--line); }
    #results .kind { display: inline-block; min-width: 6rem; color: var(--muted); font-size: .85rem; }
    figure { margin: 1.2rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
    figcaption { color: var(--muted); font-size: .9rem; }
    ul.toc { columns: 2; }
    """

    /// Filters the generated index (window.TWLINT_SEARCH_INDEX) as the user types; every word must match
    /// the name, title or an alias. Results are built with DOM text nodes, never innerHTML.
    static let searchScript = """
    (function () {
      "use strict";
      var index = window.TWLINT_SEARCH_INDEX || [];
      var input = document.getElementById("q");
      var results = document.getElementById("results");
      if (!input || !results) { return; }
      var rank = { rule: 0, topic: 1, symptom: 2, parameter: 3, counter: 4 };
      function haystack(e) { return (e.name + " " + e.title + " " + e.aliases.join(" ")).toLowerCase(); }
      var prepared = index.map(function (e) { return { e: e, h: haystack(e), n: e.name.toLowerCase() }; });
      function show(query) {
        while (results.firstChild) { results.removeChild(results.firstChild); }
        var words = query.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
        if (words.length === 0) { return; }
        var hits = prepared.filter(function (p) {
          return words.every(function (w) { return p.h.indexOf(w) !== -1; });
        });
        hits.sort(function (a, b) {
          var q = words.join(" ");
          var ea = (a.n === q || a.n.endsWith("." + q)) ? 0 : 1, eb = (b.n === q || b.n.endsWith("." + q)) ? 0 : 1;
          if (ea !== eb) { return ea - eb; }
          if (rank[a.e.kind] !== rank[b.e.kind]) { return rank[a.e.kind] - rank[b.e.kind]; }
          return a.n < b.n ? -1 : (a.n > b.n ? 1 : 0);
        });
        hits.slice(0, 50).forEach(function (p) {
          var li = document.createElement("li");
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = p.e.kind;
          var a = document.createElement("a");
          a.href = p.e.url;
          a.textContent = p.e.name;
          li.appendChild(kind);
          li.appendChild(a);
          li.appendChild(document.createTextNode(" — " + p.e.title));
          results.appendChild(li);
        });
        if (hits.length === 0) {
          var none = document.createElement("li");
          none.textContent = "No match.";
          results.appendChild(none);
        }
      }
      input.addEventListener("input", function () { show(input.value); });
      var fromURL = new URLSearchParams(window.location.search).get("q");
      if (fromURL) { input.value = fromURL; show(fromURL); }
    })();

    """
}
