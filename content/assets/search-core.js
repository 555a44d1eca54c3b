/* The search core: a query's tokens, the static index under searchindex/ and ranked matches. Pure: no page,
   no DOM; the search page (search-ui.js) and the tests (site_tests/test_search_core.py, in Node) use it through
   PlansiteSearch. */
(function (root) {
  "use strict";

  /* ---- Search ----
     The index is static files under searchindex/, written by hooks/plansite/search.py (IndexWriter, which
     describes them): meta.json, the word index cut into ranges of sorted tokens, the records' fragments and
     the filters. Chinese is indexed as overlapping character pairs ("东西部协作" → 东西 西部 部协 协作 作|,
     "|" after the last character of a run); letters and digits as whole words. A query is turned into the
     same tokens here, only the parts of the word index that hold them are fetched, and every segment of the
     query must stand in a result as it was typed (its tokens in a row), so any part of a word is found:
     百县百品, 5000万元, a unit's short name. Ranking adds up the BM25 scores the index stores. */
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var PIECES = new RegExp("[" + HAN + "]+|[0-9a-z]+", "g");
  var END = "|";
  var LAST = "\uffff";  /* sorts after every token: [p, p + LAST] is the range of tokens that start with p */
  var FILED = "~";  /* before the pinyin of the names a record is filed under (hooks/plansite/search.py) */

  function ascii(s) {
    return String(s).replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
  }

  /* The query split at anything that is not a Han character, letter or digit into segments; each segment as
     the tokens that must stand in a row (`exact`), and, when it ends with a single Han character, that
     character (`prefix`: a token that starts with it, i.e. the character followed by anything). */
  function querySegments(query) {
    return ascii(query).split(new RegExp("[^" + HAN + "0-9a-z]+")).filter(Boolean).map(function (seg) {
      var pieces = seg.match(PIECES) || [];
      var exact = [];
      var prefix = null;
      pieces.forEach(function (piece, i) {
        if (!IS_HAN.test(piece)) { exact.push(piece); return; }
        var chars = Array.from(piece);
        for (var k = 0; k + 1 < chars.length; k++) exact.push(chars[k] + chars[k + 1]);
        var last = chars[chars.length - 1];
        if (i < pieces.length - 1) exact.push(last + END);
        else if (chars.length === 1) prefix = last;
      });
      return { text: seg, exact: exact, prefix: prefix };
    });
  }

  /* Ascending numbers from the first one and the differences. */
  function undelta(deltas) {
    var out = new Array(deltas.length);
    var sum = 0;
    for (var i = 0; i < deltas.length; i++) { sum += deltas[i]; out[i] = sum; }
    return out;
  }

  /* Where a token occurs: record numbers, impacts (BM25 × 10) and each record's positions. */
  function Postings(raw) {
    this.token = raw[0];
    this.ids = undelta(raw[1]);
    this.impacts = raw[2];
    this.counts = raw[3];
    this.positions = raw[4];
    this.names = raw[5] || null;  /* a pinyin word: the names it spells */
    this.offsets = new Array(this.ids.length);
    var at = 0;
    for (var i = 0; i < this.ids.length; i++) { this.offsets[i] = at; at += this.counts[i]; }
  }
  Postings.prototype.indexOf = function (id) {
    var lo = 0, hi = this.ids.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.ids[mid] === id) return mid;
      if (this.ids[mid] < id) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  };
  Postings.prototype.has = function (id, position) {
    var k = this.indexOf(id);
    if (k === -1) return false;
    for (var j = this.offsets[k], end = j + this.counts[k]; j < end; j++) {
      if (this.positions[j] === position) return true;
      if (this.positions[j] > position) return false;
    }
    return false;
  };
  Postings.prototype.positionsOf = function (id) {
    var k = this.indexOf(id);
    return k === -1 ? [] : this.positions.slice(this.offsets[k], this.offsets[k] + this.counts[k]);
  };

  function StaleIndex() { this.message = "the search index changed while this page was open"; }

  /* The index of the site at `base`: loads meta.json (`open`), then the files a query needs, each once. */
  function SearchIndex(base) {
    this.base = base;
    this.meta = null;
    this.files = {};
  }
  SearchIndex.prototype.open = async function (reload) {
    var resp = await fetch(new URL("searchindex/meta.json", this.base).href, { cache: reload ? "reload" : "no-cache" });
    if (!resp.ok) throw new Error("searchindex/meta.json: " + resp.status);
    this.meta = await resp.json();
    this.files = {};
    this.byRecord = null;
  };
  /* A file of the index, as JSON (gzipped on disk; a host may also have unzipped it on the way). */
  SearchIndex.prototype.load = function (path) {
    var self = this;
    if (!self.files[path]) {
      self.files[path] = (async function () {
        var resp = await fetch(new URL("searchindex/" + path + "?v=" + self.meta.v, self.base).href);
        if (!resp.ok) throw new Error("searchindex/" + path + ": " + resp.status);
        var bytes = new Uint8Array(await resp.arrayBuffer());
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
          var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
          bytes = new Uint8Array(await new Response(stream).arrayBuffer());
        }
        var data = JSON.parse(new TextDecoder().decode(bytes));
        if (data.v !== self.meta.v) throw new StaleIndex();
        return data;
      })();
      self.files[path].catch(function () { delete self.files[path]; });
    }
    return self.files[path];
  };
  /* The number of the word-index file whose range holds `token`. */
  SearchIndex.prototype.shardOf = function (token) {
    var shards = this.meta.shards;
    var lo = 0, hi = shards.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid] <= token) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
  /* The postings of `token`, or (`prefix`) of every token that starts with it. */
  SearchIndex.prototype.postings = async function (token, prefix) {
    if (!this.meta.shards.length) return [];
    var from = this.shardOf(token);
    var to = prefix ? this.shardOf(token + LAST) : from;
    var loads = [];
    for (var n = from; n <= to; n++) loads.push(this.shardWords(n));
    var found = [];
    (await Promise.all(loads)).forEach(function (words) {
      words.forEach(function (raw, i) {
        var t = raw instanceof Postings ? raw.token : raw[0];
        if (t === token || (prefix && t.lastIndexOf(token, 0) === 0)) {
          if (!(raw instanceof Postings)) words[i] = raw = new Postings(raw);
          found.push(raw);
        }
      });
    });
    return found;
  };
  SearchIndex.prototype.shardWords = async function (n) {
    return (await this.load("w/" + n + ".json.gz")).words;
  };
  /* Record number → score for one term: an exact token; a Han character that a token starts with (the best
     such token counts); a word of letters or digits (the word itself, or at half weight a longer word that
     starts with it: minhang → minhangqu), and a word of letters also as the pinyin of a name a record is filed
     under (~minhangqu). */
  SearchIndex.prototype.term = async function (kind, key) {
    var lists = await this.postings(key, kind !== "exact");
    if (kind === "word" && /^[a-z]/.test(key)) lists = lists.concat(await this.postings(FILED + key, true));
    var scores = new Map();
    lists.forEach(function (p) {
      var weight = kind === "word" && p.token !== key && p.token !== FILED + key ? 0.5 : 1;
      for (var i = 0; i < p.ids.length; i++) {
        var s = p.impacts[i] * weight;
        if (!(scores.get(p.ids[i]) >= s)) scores.set(p.ids[i], s);
      }
    });
    return { kind: kind, key: key, lists: lists, scores: scores };
  };
  /* The record numbers of one filter value. */
  SearchIndex.prototype.filterIds = async function (name, value) {
    var data = await this.load("filters.json.gz");
    var values = data.filters[name] || {};
    return new Set(undelta(values[value] || []));
  };
  /* Every filter value with its number of records (the whole site). */
  SearchIndex.prototype.filterCounts = async function () {
    var data = await this.load("filters.json.gz");
    var out = {};
    Object.keys(data.filters).forEach(function (name) {
      out[name] = {};
      Object.keys(data.filters[name]).forEach(function (v) { out[name][v] = data.filters[name][v].length; });
    });
    return out;
  };
  /* Filter name → for each record number, the values it has (made once from the filters file). */
  SearchIndex.prototype.valuesByRecord = async function () {
    if (!this.byRecord) {
      var data = await this.load("filters.json.gz");
      var n = this.meta.records;
      var out = {};
      Object.keys(data.filters).forEach(function (name) {
        var of = out[name] = new Array(n);
        Object.keys(data.filters[name]).forEach(function (v) {
          undelta(data.filters[name][v]).forEach(function (id) { (of[id] = of[id] || []).push(v); });
        });
      });
      this.byRecord = out;
    }
    return this.byRecord;
  };
  /* The names a search that finds nothing may suggest (loaded only then). */
  SearchIndex.prototype.names = async function () {
    return (await this.load("names.json.gz")).names;
  };
  /* The fragments (url, meta, text) of the records numbered `ids`, in that order. */
  SearchIndex.prototype.fragments = async function (ids) {
    var size = this.meta.chunk;
    var self = this;
    return Promise.all(ids.map(async function (id) {
      var chunk = await self.load("r/" + Math.floor(id / size) + ".json.gz");
      return chunk.records[id % size];
    }));
  };

  /* Does the record have the segment's tokens in a row? `seq`: the exact tokens' postings (null when a token is
     not in the index), then the prefix character's (any one of them may follow). */
  function inRow(id, seq, prefixLists) {
    if (!seq.length) return true;
    if (seq.some(function (p) { return p === null; })) return false;
    var starts = seq[0].positionsOf(id);
    return starts.some(function (p) {
      for (var j = 1; j < seq.length; j++) if (!seq[j].has(id, p + j)) return false;
      if (prefixLists) {
        var next = p + seq.length;
        return prefixLists.some(function (q) { return q.has(id, next); });
      }
      return true;
    });
  }

  /* Every term must be in a result; each segment must also stand there in a row. Results are ranked by the sum
     of their terms' scores. `filters`: name → value. Returns the ranked record numbers, whether they only
     have the terms, not in a row (`partial`), the same before the filters (`exact`: the records with every
     segment in a row, `any`: with every term, for facets) and the names the query's pinyin words spell
     (`spelled`, to be marked in the results). */
  async function find(index, segments, filters) {
    if (!segments.length) return { ids: [], partial: false, exact: [], any: [], spelled: [] };
    var jobs = [];
    segments.forEach(function (s) {
      s.exact.forEach(function (t) { jobs.push(index.term(IS_HAN.test(t) ? "exact" : "word", t)); });
      if (s.prefix) jobs.push(index.term("prefix", s.prefix));
    });
    var terms = await Promise.all(jobs);
    var filterSets = await Promise.all(Object.keys(filters).map(function (name) {
      return index.filterIds(name, filters[name]);
    }));
    /* Records with every term, and their summed scores. */
    var unique = [];
    var seen = {};
    terms.forEach(function (t) {
      var key = t.kind + ":" + t.key;
      if (!seen[key]) { seen[key] = true; unique.push(t); }
    });
    unique.sort(function (a, b) { return a.scores.size - b.scores.size; });
    var total = new Map(unique[0].scores);
    unique.slice(1).forEach(function (t) {
      total.forEach(function (s, id) {
        var add = t.scores.get(id);
        if (add === undefined) total.delete(id); else total.set(id, s + add);
      });
    });
    /* The segments of two tokens or more, as postings in a row. */
    var at = 0;
    var rows = [];
    segments.forEach(function (s) {
      var seq = terms.slice(at, at + s.exact.length).map(function (t) {
        var p = t.lists.filter(function (l) { return l.token === t.key; });
        return p.length ? p[0] : null;
      });
      at += s.exact.length;
      var prefixLists = s.prefix ? terms[at++].lists : null;
      if (seq.length + (prefixLists ? 1 : 0) > 1) rows.push({ seq: seq, prefixLists: prefixLists });
    });
    var byRank = function (a, b) { return total.get(b) - total.get(a) || a - b; };
    var any = Array.from(total.keys()).sort(byRank);
    var exact = any.filter(function (id) {
      return rows.every(function (r) { return inRow(id, r.seq, r.prefixLists); });
    });
    var inFilters = function (id) { return filterSets.every(function (set) { return set.has(id); }); };
    var kept = exact.filter(inFilters);
    var ranked = any.filter(inFilters);
    var partial = !kept.length && ranked.length > 0;
    var spelled = [];
    terms.forEach(function (t) {
      if (t.kind === "word") t.lists.forEach(function (p) {
        (p.names || []).forEach(function (n) { if (spelled.indexOf(n) === -1) spelled.push(n); });
      });
    });
    return { ids: partial ? ranked : kept, partial: partial, exact: exact, any: any, spelled: spelled };
  }

  /* The number of results each filter value would give with this query (`found`, from find) and the other
     filters chosen (`filters`: name → value): the records with every segment in a row, or, when there are
     none, with every term (as find gives them). Filter name → value → count; values with none are left out. */
  async function facets(index, found, filters) {
    var byRecord = await index.valuesByRecord();
    var names = Object.keys(byRecord);
    var out = {};
    names.forEach(function (name) {
      var others = names.filter(function (n) { return n !== name && filters[n] !== undefined; });
      var count = function (ids) {
        var counts = {};
        ids.forEach(function (id) {
          for (var k = 0; k < others.length; k++) {
            var vs = byRecord[others[k]][id];
            if (!vs || vs.indexOf(filters[others[k]]) === -1) return;
          }
          (byRecord[name][id] || []).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        return counts;
      };
      var exact = count(found.exact);
      var any = found.any.length > found.exact.length ? count(found.any) : exact;
      out[name] = {};
      Object.keys(any).forEach(function (v) { out[name][v] = exact[v] || any[v]; });
    });
    return out;
  }

  /* Other searches to offer for `query` (never run in its place): the query with each variant character
     replaced by its usual form (`variants`: variant → usual, from meta.json), and, for a word of the query
     (split at spaces) or the whole query, the registered `names` one character away from it (one changed,
     added or left out), nearest first, then in the order of `names`. At most `max`, each once:
     [{ query, word, name, kind: "variant" | "name" }]. */
  function suggestions(query, names, variants, max) {
    var q = String(query).trim();
    var out = [];
    var add = function (s) {
      if (s.query !== q && !out.some(function (o) { return o.query === s.query; })) out.push(s);
    };
    var chars = Array.from(q);
    if (variants && chars.some(function (c) { return variants[c]; })) {
      add({ query: chars.map(function (c) { return variants[c] || c; }).join(""), kind: "variant",
            word: chars.filter(function (c) { return variants[c]; }).join(""),
            name: chars.filter(function (c) { return variants[c]; }).map(function (c) { return variants[c]; }).join("") });
    }
    var words = q.split(/\s+/).filter(Boolean);
    var targets = words.length > 1 ? [q].concat(words) : [q];
    targets.forEach(function (word) {
      var w = Array.from(word);
      if (w.length < 2) return;
      var near = [];
      (names || []).forEach(function (name, order) {
        var d = oneApart(w, Array.from(name));
        if (d) near.push({ name: name, d: d, order: order });
      });
      near.sort(function (a, b) { return a.d - b.d || a.order - b.order; });
      near.forEach(function (n) {
        add({ query: word === q ? n.name : q.split(word).join(n.name), kind: "name", word: word, name: n.name });
      });
    });
    return out.slice(0, max || 5);
  }

  /* 1 when two words (arrays of characters) differ in one character, 2 when one has a character more, else 0. */
  function oneApart(a, b) {
    if (a.length === b.length) {
      var diff = 0;
      for (var i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return 0;
      return diff === 1 ? 1 : 0;
    }
    if (Math.abs(a.length - b.length) !== 1) return 0;
    var long = a.length > b.length ? a : b, short = a.length > b.length ? b : a;
    var j = 0;
    while (j < short.length && long[j] === short[j]) j++;
    for (var k = j; k < short.length; k++) if (long[k + 1] !== short[k]) return 0;
    return 2;
  }

  /* A query with punctuation inside (15%, 1.2亿元, 〔2022〕) also matches without it, because punctuation is
     not indexed: among the results shown, those that contain it literally come first. */
  function literalKey(query) {
    var q = ascii(query.trim());
    return /\s/.test(q) || new RegExp("^[" + HAN + "0-9a-z]*$").test(q) ? "" : q;
  }

  var api = { querySegments: querySegments, find: find, facets: facets, suggestions: suggestions, oneApart: oneApart,
    literalKey: literalKey, ascii: ascii, SearchIndex: SearchIndex, Postings: Postings, StaleIndex: StaleIndex,
    undelta: undelta, HAN: HAN };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.PlansiteSearch = api;
})(this);
