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

  /* Chinese is indexed one character per token (hooks/plansite/search.py, index_text): the query is
     split the same way here, so any part of a word is found. */
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + HAN + "]|[0-9a-z]+", "g");
  var JOINED = new RegExp("([" + HAN + "])((?:</?mark>)*)\\s+((?:</?mark>)*)(?=[" + HAN + "0-9a-zA-Z])|([0-9a-zA-Z])((?:</?mark>)*)\\s+((?:</?mark>)*)(?=[" + HAN + "])", "g");

  /* The query as Pagefind sees the index: full-width letters and digits made ASCII, lower case; split at
     anything that is not a Han character, letter or digit into segments of tokens. */
  function querySegments(query) {
    var q = query.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
    return q.split(new RegExp("[^" + HAN + "0-9a-z]+")).map(function (seg) {
      return seg.match(TOKEN) || [];
    }).filter(function (tokens) { return tokens.length; });
  }

  /* Excerpts come from Pagefind with <mark> around hits and a space around each Han character: join the
     characters again, then rebuild the excerpt as text nodes and <mark> elements only. */
  function excerpt(html) {
    var span = document.createElement("span");
    var joined = String(html).replace(JOINED, function (m, a, a1, a2, b, b1, b2) {
      return a !== undefined ? a + a1 + a2 : b + b1 + b2;
    });
    var parts = joined.split(/(<mark>|<\/mark>)/);
    var inMark = false;
    parts.forEach(function (part) {
      if (part === "<mark>") { inMark = true; return; }
      if (part === "</mark>") { inMark = false; return; }
      var decoded = new DOMParser().parseFromString("<!doctype html><body>" + part, "text/html").body.textContent;
      span.appendChild(inMark ? text("mark", decoded) : document.createTextNode(decoded));
    });
    return span;
  }

  var FILTER_ORDER = ["类型", "区", "年度", "主题", "单位"];

  function initSearch() {
    var root = document.getElementById("ps-search");
    if (!root) return;
    var form = document.getElementById("ps-search-form");
    var input = document.getElementById("ps-search-input");
    var status = document.getElementById("ps-search-status");
    var list = document.getElementById("ps-search-results");
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

    function render(results, total, query, partial) {
      list.textContent = "";
      list.setAttribute("data-query", query);
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
        p.appendChild(excerpt(r.excerpt || ""));
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
    }

    /* Every token must be in a result (Pagefind ranks these by BM25); each segment of two or more
       tokens must also be there as an exact phrase, i.e. as the same characters in a row. */
    async function find(query, filters) {
      var segments = querySegments(query);
      if (!segments.length) return { results: [], partial: false };
      var all = [].concat.apply([], segments);
      var loose = await pagefind.search(all.join(" "), { filters: filters });
      var phrases = segments.filter(function (tokens) { return tokens.length > 1; });
      if (!phrases.length) return { results: loose.results, partial: false };
      var exact = await Promise.all(phrases.map(function (tokens) {
        return pagefind.search("\"" + tokens.join(" ") + "\"", { filters: filters });
      }));
      var sets = exact.map(function (s) { return new Set(s.results.map(function (r) { return r.id; })); });
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
      if (!query) { render([], 0, ""); return; }
      status.textContent = "正在搜索……";
      var found = await find(query, chosenFilters());
      if (mine !== seq) return;
      var top = await Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
      if (mine !== seq) return;
      render(top, found.results.length, query, found.partial);
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
    import(new URL("pagefind/pagefind.js", base).href).then(async function (mod) {
      pagefind = mod;
      await pagefind.options({ excerptLength: 60 });
      await pagefind.init();
      status.textContent = "";
      await buildFilters();
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
