/* The search page of a static copy of the site: searches the copy's own index
   (iskra/search/static_index.py) in the browser, with the site's analysis: the index
   maps every word form of the texts to its terms; a form the texts never use is
   stemmed here (Kazakh, with the site's own rules sent in meta.json) or matched to the
   longest term it begins with. Results look as the live search page shows them. */
(function () {
  "use strict";
  var box = document.getElementById("static-search");
  if (!box || !window.fetch) return;
  var PER_PAGE = 20;
  var indexUrl = new URL(box.getAttribute("data-mirror-href"), location.href);
  var rootUrl = new URL("../", indexUrl);
  var shardCache = {};
  var meta = null;

  function text(name, values) {
    var value = box.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.split("{" + key + "}").join(values[key]);
    });
    return value;
  }

  function getJson(path) {
    return fetch(new URL(path, indexUrl)).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + path);
      return response.json();
    });
  }

  function fold(value) {
    return value.normalize("NFKC").replace(/[\u0301\u0300\u00ad\u200b\u200c\u200d\u2060]/g, "")
      .toLowerCase().replace(/ё/g, "е").replace(/һ/g, "х");
  }

  var WORD = /[\p{L}\p{N}]+(?:['’ʼ][\p{L}\p{N}]+)*/gu;
  var LATIN = /[a-zäöüğışçñūáéíóúýı']/;
  var CYRILLIC = /[а-яәғқңөұүһі]/;
  var KAZAKH_ONLY = /[әғқңөұүһі]/;

  function words(value) {
    return fold(value).match(WORD) || [];
  }

  function clean(stem) {
    return stem.replace(/й/g, "и").replace(/['’ʼ]/g, "");
  }

  function latinToCyrillic(word) {
    var rules = meta.latin;
    word = fold(word).replace(/i̇/g, "i").replace(/[’ʼ]/g, "'");
    var out = "";
    var index = 0;
    while (index < word.length) {
      var matched = false;
      for (var i = 0; i < rules.digraphs.length; i++) {
        var pair = rules.digraphs[i];
        if (word.startsWith(pair[0], index)) {
          out += pair[1];
          index += pair[0].length;
          matched = true;
          break;
        }
      }
      if (!matched) {
        var letter = word[index];
        out += letter in rules.letters ? rules.letters[letter] : (letter === "'" ? "" : letter);
        index += 1;
      }
    }
    return fold(out);
  }

  function fits(stem, suffix) {
    var needed = meta.kazakh.follows[suffix[0]];
    return !needed || needed.indexOf(stem[stem.length - 1]) >= 0;
  }

  function hasVowel(stem) {
    for (var i = 0; i < stem.length; i++) if (meta.kazakh.vowels.indexOf(stem[i]) >= 0) return true;
    return false;
  }

  function strip(word, layers, minimum) {
    layers.forEach(function (layer) {
      for (var i = 0; i < layer.length; i++) {
        var suffix = layer[i];
        if (word.endsWith(suffix) && word.length - suffix.length >= minimum) {
          var stem = word.slice(0, word.length - suffix.length);
          if (hasVowel(stem) && fits(stem, suffix)) {
            word = stem;
            break;
          }
        }
      }
    });
    return word;
  }

  function kazakhStem(word) {
    var rules = meta.kazakh;
    for (var pass = 0; pass < 3; pass++) {
      var stem = strip(word, rules.noun, 2);
      if (stem === word) stem = strip(word, rules.verb, 3);
      if (stem === word) break;
      word = stem;
    }
    var last = word.slice(-1);
    if (rules.devoiced[last]) word = word.slice(0, -1) + rules.devoiced[last];
    return word.slice(0, rules.length);
  }

  /* A shard's file: its prefix's UTF-8 bytes in hex (static_index.shard_name). */
  function shardName(prefix) {
    var hex = "";
    new TextEncoder().encode(prefix).forEach(function (byte) {
      hex += (byte < 16 ? "0" : "") + byte.toString(16);
    });
    return (hex || "_") + ".json";
  }

  function shardOf(key) {
    var best = -1;
    var length = -1;
    meta.shards.forEach(function (prefix, number) {
      if (prefix.length > length && key.startsWith(prefix)) {
        best = number;
        length = prefix.length;
      }
    });
    if (best < 0) return Promise.resolve({ f: {}, t: {} });
    if (!shardCache[best]) shardCache[best] = getJson("s/" + shardName(meta.shards[best]));
    return shardCache[best];
  }

  /* The analyser a folded word gets in a text of `language` (analysis._script_language). */
  function reading(word, language) {
    if (CYRILLIC.test(word)) {
      if (language === "ru" && KAZAKH_ONLY.test(word)) return [word, "kk"];
      return [word, language];
    }
    if (LATIN.test(word) && !/^\d+$/.test(word)) {
      return language === "kk" ? [latinToCyrillic(word), "kk"] : [word, "en"];
    }
    return [word, ""];
  }

  function longestTermIn(shard, word) {
    var best = "";
    Object.keys(shard.t).forEach(function (candidate) {
      if (candidate.length > best.length && candidate.length >= Math.min(4, word.length) &&
          word.startsWith(candidate)) best = candidate;
    });
    return best;
  }

  /* The terms a query word stands for in the languages searched (analysis.query_variants). */
  function variants(word, languages) {
    var readings = [];
    languages.forEach(function (language) {
      readings.push(reading(word, language));
      if (language === "ru" && LATIN.test(word) && languages.indexOf("kk") < 0) {
        readings.push(reading(word, "kk"));
      }
    });
    return Promise.all(readings.map(function (pair) {
      var form = pair[0];
      var analyser = pair[1];
      if (analyser && meta.stop[analyser].indexOf(form) >= 0) return [];
      return shardOf(form).then(function (shard) {
        if (shard.f[form]) return shard.f[form];
        if (shard.t[form]) return [form];
        if (analyser === "kk") return [clean(kazakhStem(form))];
        var prefix = longestTermIn(shard, clean(form));
        return prefix ? [prefix] : (analyser ? [] : [form]);
      });
    })).then(function (lists) {
      var seen = {};
      return [].concat.apply([], lists).filter(function (found) {
        if (seen[found]) return false;
        seen[found] = true;
        return true;
      });
    });
  }

  function postingsOf(found) {
    return shardOf(found).then(function (shard) {
      return shard.t[found] || null;
    });
  }

  function parse(raw) {
    var parts = [];
    var pattern = /(-?)"([^"]*)"?|(-?)([^\s"]+)/g;
    var match;
    while ((match = pattern.exec(raw)) !== null) {
      var excluded = match[2] !== undefined ? match[1] === "-" : match[3] === "-";
      var value = match[2] !== undefined ? match[2] : match[4];
      words(value).forEach(function (word) {
        parts.push({ word: word, excluded: excluded });
      });
    }
    return parts.slice(0, 12);
  }

  function inRange(number, ranges) {
    return ranges.some(function (span) { return number >= span[0] && number < span[1]; });
  }

  function rank(parts, languages) {
    var ranges = [];
    languages.forEach(function (language) { ranges = ranges.concat(meta.languages[language] || []); });
    var total = meta.documents || 1;
    return Promise.all(parts.map(function (part) {
      return variants(part.word, languages).then(function (terms) {
        return Promise.all(terms.map(postingsOf)).then(function (lists) {
          var scores = {};
          lists.forEach(function (list) {
            if (!list) return;
            var idf = Math.log(1 + total / list[0]);
            for (var i = 1; i < list.length; i += 2) {
              var score = idf * list[i + 1] / (list[i + 1] + 2);
              if (!(scores[list[i]] >= score)) scores[list[i]] = score;
            }
          });
          return { part: part, terms: terms, scores: scores };
        });
      });
    })).then(function (found) {
      var positive = found.filter(function (item) { return !item.part.excluded && item.terms.length; });
      if (!positive.length) return { results: [], terms: [] };
      var results = Object.keys(positive[0].scores).map(Number).filter(function (number) {
        return inRange(number, ranges) && found.every(function (item) {
          var has = item.scores[number] !== undefined;
          return item.part.excluded ? !has : (!item.terms.length || has);
        });
      }).map(function (number) {
        var score = 0;
        positive.forEach(function (item) { score += item.scores[number]; });
        return [number, score];
      }).sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });  /* newer first */
      var terms = [];
      positive.forEach(function (item) { terms = terms.concat(item.terms); });
      return { results: results, terms: terms };
    });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function matches(word, terms) {
    var folded = clean(fold(word));
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
    line.appendChild(element("span", "search-result__kind", (meta.kinds[language] || {})[doc.k] || ""));
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
    return Promise.all(shown.map(function (pair) { return getJson("d/" + pair[0] + ".json"); }))
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
  getJson("meta.json").then(function (loaded) {
    meta = loaded;
    return rank(parse(query), languages);
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
