/* The search page of a static copy of the site: asks the engine
   (static_search_engine.js) and shows the results as the live search page does. */
(function () {
  "use strict";
  var box = document.getElementById("static-search");
  if (!box || !window.fetch || !window.iskraSearchEngine) return;
  var PER_PAGE = 20;
  var indexUrl = new URL(box.getAttribute("data-mirror-href"), location.href);
  var rootUrl = new URL("../", indexUrl);

  function text(name, values) {
    var value = box.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.split("{" + key + "}").join(values[key]);
    });
    return value;
  }

  var engine = window.iskraSearchEngine(function (path) {
    return fetch(new URL(path, indexUrl)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + path);
      return response.json();
    });
  });

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function matches(word, terms) {
    var folded = engine.clean(engine.fold(word));
    return terms.some(function (found) { return folded.startsWith(found); });
  }

  function snippet(excerpt, terms) {
    var paragraph = element("p", "search-result__snippet");
    var tokens = excerpt.split(/([\p{L}\p{N}]+(?:['’ʼ][\p{L}\p{N}]+)*)/u);
    var first = 0;
    for (var i = 1; i < tokens.length; i += 2) {
      if (matches(tokens[i], terms)) { first = i; break; }
    }
    var start = 0;
    var length = 0;
    for (var j = first; j > 0 && length < 80; j--) length += tokens[j - 1].length, start = j - 1;
    var shown = 0;
    if (start > 0) paragraph.appendChild(document.createTextNode("… "));
    for (var k = start; k < tokens.length && shown < 260; k++) {
      shown += tokens[k].length;
      if (k % 2 === 1 && matches(tokens[k], terms)) paragraph.appendChild(element("mark", "", tokens[k]));
      else paragraph.appendChild(document.createTextNode(tokens[k]));
    }
    if (shown >= 260) paragraph.appendChild(document.createTextNode(" …"));
    return paragraph;
  }

  function dateText(value, language) {
    try {
      return new Date(value + "T12:00:00").toLocaleDateString(language, {
        day: "numeric", month: "long", year: "numeric"
      });
    } catch (error) {
      return value;
    }
  }

  function result(doc, terms, language) {
    var item = element("li", "search-result search-result--" + doc.k);
    if (doc.l !== language) item.lang = doc.l;
    var line = element("p", "meta");
    line.appendChild(element("span", "search-result__kind", engine.kindLabel(language, doc.k)));
    if (doc.s) line.appendChild(document.createTextNode(" · " + doc.s));
    if (doc.d) {
      line.appendChild(document.createTextNode(" · "));
      var time = element("time", "", dateText(doc.d, doc.l));
      time.setAttribute("datetime", doc.d);
      line.appendChild(time);
    }
    item.appendChild(line);
    var heading = element("h2");
    var link = element("a", "", doc.t);
    link.href = new URL(doc.u, rootUrl).href;
    heading.appendChild(link);
    item.appendChild(heading);
    if (doc.c) item.appendChild(element("p", "meta", doc.c));
    item.appendChild(snippet(doc.x, terms));
    return item;
  }

  function pageLink(number, rel, label) {
    var params = new URLSearchParams(location.search);
    params.set("page", number);
    var link = element("a", "", label);
    link.rel = rel;
    link.href = "?" + params.toString();
    return link;
  }

  function show(query, found, number, language) {
    box.textContent = "";
    var results = found.results;
    if (!results.length) {
      box.appendChild(element("p", "", text("nothing", { query: query })));
      return Promise.resolve();
    }
    var pages = Math.ceil(results.length / PER_PAGE);
    number = Math.min(Math.max(number, 1), pages);
    var shown = results.slice((number - 1) * PER_PAGE, number * PER_PAGE);
    return Promise.all(shown.map(function (pair) { return engine.document(pair[0]); }))
      .then(function (docs) {
        box.appendChild(element("p", "meta", text("found", { count: results.length })));
        var list = element("ol", "search-results");
        list.start = (number - 1) * PER_PAGE + 1;
        docs.forEach(function (doc) { list.appendChild(result(doc, found.terms, language)); });
        box.appendChild(list);
        if (pages > 1) {
          var nav = element("nav", "pagination");
          nav.setAttribute("aria-label", text("pages"));
          if (number > 1) nav.appendChild(pageLink(number - 1, "prev", "← " + text("previous")));
          nav.appendChild(element("span", "", text("page", { number: number, total: pages })));
          if (number < pages) nav.appendChild(pageLink(number + 1, "next", text("next") + " →"));
          box.appendChild(nav);
        }
      });
  }

  var params = new URLSearchParams(location.search);
  var query = (params.get("q") || "").slice(0, 500);
  var language = box.getAttribute("data-language");
  var chosen = params.get("lang") || language;
  var input = document.getElementById("search-page-q");
  var select = document.getElementById("search-lang");
  if (input) input.value = query;
  if (select && params.get("lang")) select.value = chosen;
  if (!query.trim()) return;
  var languages = chosen === "all" ? ["ru", "kk"] : [chosen === "kk" ? "kk" : "ru"];
  box.setAttribute("aria-busy", "true");
  engine.load().then(function () {
    return engine.search(query, languages);
  }).then(function (found) {
    return show(query, found, parseInt(params.get("page"), 10) || 1, language);
  }).catch(function (error) {
    box.textContent = "";
    box.appendChild(element("p", "form-error", text("failed")));
    if (window.console) console.error(error);
  }).then(function () {
    box.removeAttribute("aria-busy");
  });
})();
