/* Site behaviour: the A–Z filter box and the search page (Pagefind). No third-party requests. */
(function () {
  "use strict";

  function siteRoot() {
    var el = document.getElementById("__config");
    var base = ".";
    if (el) {
      try { base = JSON.parse(el.textContent).base || "."; } catch (e) { base = "."; }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }

  /* A–Z index: filter entries by Chinese text or pinyin. */
  function initAZ() {
    var box = document.querySelector(".ps-azfilter");
    var input = document.getElementById("ps-az-input");
    if (!box || !input) return;
    box.hidden = false;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase().replace(/\s+/g, "");
      document.querySelectorAll(".ps-azgroup li").forEach(function (li) {
        var hay = li.textContent.toLowerCase().replace(/\s+/g, "");
        li.hidden = q !== "" && hay.indexOf(q) === -1;
      });
      document.querySelectorAll(".ps-azgroup").forEach(function (group) {
        var visible = group.querySelector("li:not([hidden])");
        group.hidden = !visible;
        var heading = group.previousElementSibling;
        if (heading && /^H[1-6]$/.test(heading.tagName)) heading.hidden = !visible;
      });
    });
  }

  /* ---- Search (Pagefind) ----
     Chinese is indexed as overlapping character pairs, each written as one ASCII token: "u" and the
     3-character base-36 codes of the two characters, the last character of a run paired with "zzz"
     (hooks/plansite/search.py, index_text). The query is turned into the same tokens here and asked
     for as an exact phrase, so any part of a word is found: 百县百品, 5000万元, a unit's short name. */
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var PIECES = new RegExp("[" + HAN + "]+|[0-9a-z]+", "g");
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var END = "zzz";

  function ascii(s) {
    return String(s).replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
  }

  function charCode(ch) {
    var n = ch.codePointAt(0);
    var v = n < 0xf900 ? n - 0x3400 : 27648 + n - 0xf900;
    return DIGITS[Math.floor(v / 1296)] + DIGITS[Math.floor(v / 36) % 36] + DIGITS[v % 36];
  }

  function codeChar(code) {
    var v = parseInt(code, 36);
    return String.fromCodePoint(v < 27648 ? v + 0x3400 : v - 27648 + 0xf900);
  }

  /* The query split at anything that is not a Han character, letter or digit into segments; each
     segment as index tokens: `exact` must stand in a row, `prefix` (a single Han character at the
     end of a segment) matches any pair that starts with it. */
  function querySegments(query) {
    return ascii(query).split(new RegExp("[^" + HAN + "0-9a-z]+")).filter(Boolean).map(function (seg) {
      var pieces = seg.match(PIECES) || [];
      var exact = [];
      var prefix = null;
      pieces.forEach(function (piece, i) {
        if (!IS_HAN.test(piece)) { exact.push(piece); return; }
        var codes = Array.from(piece).map(charCode);
        for (var k = 0; k + 1 < codes.length; k++) exact.push("u" + codes[k] + codes[k + 1]);
        var last = codes[codes.length - 1];
        if (i < pieces.length - 1) exact.push("u" + last + END);
        else if (codes.length === 1) prefix = "u" + last;
      });
      return { text: seg, exact: exact, prefix: prefix };
    });
  }

  /* A record's indexed content back as text: the first character of each pair, words and punctuation. */
  function decode(content) {
    var out = "";
    var prevWord = false;
    String(content).split(/\s+/).forEach(function (tok) {
      if (!tok) return;
      if (/^u[0-9a-z]{6}$/.test(tok)) { out += codeChar(tok.slice(1, 4)); prevWord = false; }
      else if (/^[0-9a-z]+$/.test(tok)) { out += (prevWord ? " " : "") + tok; prevWord = true; }
      else { out += tok === "·" ? " · " : tok; prevWord = false; }
    });
    return out.replace(/(?: · )+/g, " · ").replace(/^ · | · $/g, "");
  }

  /* An excerpt around the first place where the longest word of the query stands, with every word
     marked: the words as typed (split at spaces) when the text has them all, else the segments.
     Text nodes and <mark> elements only. */
  function excerpt(plainText, segments, query) {
    var span = document.createElement("span");
    var lower = ascii(plainText);
    var typed = ascii(query).split(/\s+/).filter(Boolean);
    var words = (typed.every(function (w) { return lower.indexOf(w) !== -1; }) ? typed :
      segments.map(function (s) { return s.text; })).filter(Boolean)
      .sort(function (a, b) { return b.length - a.length; });
    var at = -1;
    for (var i = 0; i < words.length && at === -1; i++) at = lower.indexOf(words[i]);
    var from = Math.max(0, at - 24);
    var to = Math.min(plainText.length, from + 90);
    var pos = from;
    if (from > 0) span.appendChild(document.createTextNode("…"));
    while (pos < to) {
      var next = -1, len = 0;
      words.forEach(function (w) {
        var j = lower.indexOf(w, pos);
        if (j !== -1 && j < to && (next === -1 || j < next)) { next = j; len = w.length; }
      });
      if (next === -1) { span.appendChild(document.createTextNode(plainText.slice(pos, to))); break; }
      if (next > pos) span.appendChild(document.createTextNode(plainText.slice(pos, next)));
      span.appendChild(text("mark", plainText.slice(next, next + len)));
      pos = next + len;
    }
    if (to < plainText.length) span.appendChild(document.createTextNode("…"));
    return span;
  }

  /* A query with punctuation inside (15%, 1.2亿元, 〔2022〕) also matches without it, because Pagefind
     does not index punctuation: among the results shown, those that contain it literally come first. */
  function literalKey(query) {
    var q = ascii(query.trim());
    return /\s/.test(q) || new RegExp("^[" + HAN + "0-9a-z]*$").test(q) ? "" : q;
  }

  var FILTER_ORDER = ["类型", "区", "年度", "主题", "单位"];
  var SHOWN = 20;

  function initSearch() {
    var root = document.getElementById("ps-search");
    if (!root) return;
    var form = document.getElementById("ps-search-form");
    var input = document.getElementById("ps-search-input");
    var status = document.getElementById("ps-search-status");
    var list = document.getElementById("ps-search-results");
    var filterBox = document.getElementById("ps-search-filterbox");
    var fieldset = document.getElementById("ps-search-filters");
    var base = siteRoot();
    var pagefind = null;
    var selects = {};
    var seq = 0;

    function chosenFilters() {
      var f = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) f[name] = selects[name].value;
      });
      return f;
    }

    function render(results, total, query, partial, segments) {
      list.textContent = "";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = new URL(r.url, base).href;
        a.textContent = (r.meta && r.meta.title) || r.url;
        var h = document.createElement("h2");
        h.appendChild(a);
        li.appendChild(h);
        var m = r.meta || {};
        var bits = [m.kind, m.doc, m.district, m.year ? m.year + "年" : ""].filter(Boolean);
        li.appendChild(text("p", bits.join(" · "), "ps-result-meta"));
        var p = document.createElement("p");
        p.className = "ps-result-excerpt";
        p.appendChild(excerpt(r.plain, segments, query));
        li.appendChild(p);
        if (m.lead || m.deadline) {
          var extra = [m.lead ? "牵头：" + m.lead : "", m.deadline ? "时限：" + m.deadline : ""].filter(Boolean);
          li.appendChild(text("p", extra.join("　"), "ps-result-meta"));
        }
        list.appendChild(li);
      });
      var shown = total > results.length ? "，显示前 " + results.length + " 条" : "";
      status.textContent = !query ? "" : !total ? "没有找到“" + query + "”。可以换一个词，或去掉筛选条件。" :
        partial ? "没有完全一致的“" + query + "”；下面 " + total + " 条结果含有其中的字" + shown + "。" :
        "找到 " + total + " 条结果" + shown + "。";
      list.setAttribute("data-query", query);
    }

    /* Every token must be in a result (Pagefind ranks these by BM25); each segment must also be there
       as an exact phrase, i.e. as the same characters in a row. */
    async function find(segments, filters) {
      if (!segments.length) return { results: [], partial: false };
      var terms = [];
      segments.forEach(function (s) { terms = terms.concat(s.exact, s.prefix ? [s.prefix] : []); });
      var loose = await pagefind.search(terms.join(" "), { filters: filters });
      var phrases = segments.filter(function (s) { return s.exact.length > 1; });
      if (!phrases.length) return { results: loose.results, partial: false };
      var exact = await Promise.all(phrases.map(function (s) {
        return pagefind.search("\"" + s.exact.join(" ") + "\"", { filters: filters });
      }));
      var sets = exact.map(function (x) { return new Set(x.results.map(function (r) { return r.id; })); });
      var kept = loose.results.filter(function (r) {
        return sets.every(function (set) { return set.has(r.id); });
      });
      return kept.length ? { results: kept, partial: false } : { results: loose.results, partial: true };
    }

    async function run() {
      var query = input.value.trim();
      var mine = ++seq;
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
      if (!query) { render([], 0, "", false, []); return; }
      status.textContent = "正在搜索……";
      var segments = querySegments(query);
      var found = await find(segments, chosenFilters());
      if (mine !== seq) return;
      var top = await Promise.all(found.results.slice(0, SHOWN).map(function (r) { return r.data(); }));
      if (mine !== seq) return;
      top.forEach(function (d) { d.plain = decode(d.content); });
      var key = literalKey(query);
      if (key) {
        var has = top.map(function (d) { return ascii(d.plain).indexOf(key) !== -1; });
        top = top.filter(function (d, i) { return has[i]; }).concat(top.filter(function (d, i) { return !has[i]; }));
      }
      render(top, found.results.length, query, found.partial, segments);
    }

    /* The filters are loaded when the reader opens them (their index is larger than a query's). */
    var filtersLoaded = null;
    function loadFilters() {
      if (!filtersLoaded) filtersLoaded = buildFilters();
      return filtersLoaded;
    }

    async function buildFilters() {
      var filters = await pagefind.filters();
      FILTER_ORDER.forEach(function (name) {
        var values = filters[name];
        if (!values) return;
        var label = document.createElement("label");
        label.className = "ps-filter";
        label.appendChild(document.createTextNode(name + " "));
        var select = document.createElement("select");
        select.name = name;
        select.appendChild(new Option("全部", ""));
        Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "zh-Hans-CN"); }).forEach(function (v) {
          select.appendChild(new Option(v + "（" + values[v] + "）", v));
        });
        select.addEventListener("change", run);
        label.appendChild(select);
        fieldset.appendChild(label);
        selects[name] = select;
      });
      fieldset.hidden = false;
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });

    var q = new URL(window.location.href).searchParams.get("q");
    if (q) input.value = q;
    status.textContent = "正在载入搜索索引……";
    /* A large site's index is written as several bundles (hooks/plansite/search.py): merged here. */
    var parts = fetch(new URL("pagefind/plansite-parts.json", base).href)
      .then(function (r) { return r.ok ? r.json() : []; }).catch(function () { return []; });
    import(new URL("pagefind/pagefind.js", base).href).then(async function (mod) {
      pagefind = mod;
      await pagefind.options({ excerptLength: 30 });
      var extra = await parts;
      for (var i = 0; i < extra.length; i++) {
        await pagefind.mergeIndex(new URL("pagefind/" + extra[i], base).href);
      }
      await pagefind.init();
      status.textContent = "";
      if (filterBox) {
        filterBox.hidden = false;
        filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
        if (filterBox.open) loadFilters();
      }
      root.setAttribute("data-ready", "");
      if (input.value) run();
    }).catch(function () {
      status.textContent = "搜索索引载入失败。可以在“索引”页按拼音查找。";
    });
  }

  function init() {
    initAZ();
    initSearch();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
