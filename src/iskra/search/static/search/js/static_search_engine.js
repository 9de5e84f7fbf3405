/* The search engine of a static copy of the site (iskra/search/static_index.py), with no
   DOM: the search page's script (static_search.js) and the benchmark's Node harness
   (bench/mirror_search.py) both use it. It reads a query as the site's analysis does:
   the index maps every word form of the texts to its terms; a form the texts never use
   is stemmed here (Kazakh, with the site's own rules sent in meta.json) or matched to
   the longest term it begins with. */
(function (root) {
  "use strict";

  /* Return an engine reading the index through getJson(path relative to the index's
     folder) -> Promise of the parsed JSON. */
  function createEngine(getJson) {
    var meta = null;
    var shardCache = {};

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

    /* The shard holding a key: the last one whose boundary sorts at or before it (the
       boundaries in meta.json are sorted, and a shard covers up to the next one). */
    function shardOf(key) {
      var low = 0;
      var high = meta.shards.length - 1;
      var best = -1;
      while (low <= high) {
        var middle = (low + high) >> 1;
        if (meta.shards[middle] <= key) {
          best = middle;
          low = middle + 1;
        } else {
          high = middle - 1;
        }
      }
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

    return {
      load: function () {
        return getJson("meta.json").then(function (loaded) {
          meta = loaded;
          return meta;
        });
      },
      search: function (raw, languages) {
        return rank(parse(raw), languages);
      },
      document: function (number) {
        return getJson("d/" + number + ".json");
      },
      kindLabel: function (language, kind) {
        return (meta.kinds[language] || {})[kind] || "";
      },
      fold: fold,
      clean: clean
    };
  }

  if (typeof module === "object" && module.exports) module.exports = createEngine;
  else root.iskraSearchEngine = createEngine;
})(this);
