/* Node harness for bench/mirror_search.py: runs the static copy's own search engine
   (src/iskra/search/static/search/js/static_search_engine.js) on an index folder.
   Reads one query a line ({"query", "languages", "wanted": [document numbers]}) and
   prints one line each: the bytes the query read (meta.json, shards, and the first
   page's 20 result files, as the search page fetches them with an empty browser
   cache), the number of results, and the rank of the first wanted document (-1). */
"use strict";
const fs = require("fs");
const path = require("path");

const createEngine = require(path.resolve(process.argv[2]));
const folder = process.argv[3];
const queries = fs.readFileSync(0, "utf8").split("\n").filter(Boolean).map(JSON.parse);

(async () => {
  for (const query of queries) {
    let bytes = 0;
    const engine = createEngine((name) => {
      const data = fs.readFileSync(path.join(folder, name));
      bytes += data.length;
      return Promise.resolve(JSON.parse(data));
    });
    await engine.load();
    const found = await engine.search(query.query, query.languages);
    await Promise.all(found.results.slice(0, 20).map((result) => engine.document(result[0])));
    const wanted = new Set(query.wanted);
    const rank = found.results.findIndex((result) => wanted.has(result[0]));
    console.log(JSON.stringify({ bytes, results: found.results.length, rank }));
  }
})();
