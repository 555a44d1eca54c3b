/* The search page: the query box, filters and results, on the search core (search-core.js). */
(function () {
  "use strict";

  var S = window.PlansiteSearch;
  var ascii = S.ascii, querySegments = S.querySegments, find = S.find, literalKey = S.literalKey;
  var SearchIndex = S.SearchIndex, StaleIndex = S.StaleIndex;

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
    var index = new SearchIndex(base);
    var selects = {};
    var seq = 0;
    var FAILED = "搜索索引载入失败。可以在“索引”页按拼音查找。";

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
        p.appendChild(excerpt(r.text, segments, query));
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

    async function search(query) {
      var segments = querySegments(query);
      var found = await find(index, segments, chosenFilters());
      var top = await index.fragments(found.ids.slice(0, SHOWN));
      var key = literalKey(query);
      if (key) {
        var has = top.map(function (r) { return ascii(r.text).indexOf(key) !== -1; });
        top = top.filter(function (r, i) { return has[i]; }).concat(top.filter(function (r, i) { return !has[i]; }));
      }
      return { top: top, total: found.ids.length, partial: found.partial, segments: segments };
    }

    async function run() {
      var query = input.value.trim();
      var mine = ++seq;
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
      if (!query) { render([], 0, "", false, []); return; }
      status.textContent = "正在搜索……";
      var out;
      try {
        try {
          out = await search(query);
        } catch (e) {
          if (!(e instanceof StaleIndex)) throw e;
          await index.open(true);  /* the site was published again since this page loaded its index */
          out = await search(query);
        }
      } catch (e) {
        if (mine === seq) status.textContent = FAILED;
        if (window.console) console.error(e);
        return;
      }
      if (mine !== seq) return;
      render(out.top, out.total, query, out.partial, out.segments);
    }

    /* The filters are loaded when the reader opens them (their file is larger than a query's). */
    var filtersLoaded = null;
    function loadFilters() {
      if (!filtersLoaded) filtersLoaded = buildFilters().catch(function () { filtersLoaded = null; status.textContent = FAILED; });
      return filtersLoaded;
    }

    async function buildFilters() {
      var filters = await index.filterCounts();
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
    index.open(false).then(function () {
      status.textContent = "";
      if (filterBox) {
        filterBox.hidden = false;
        filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
        if (filterBox.open) loadFilters();
      }
      root.setAttribute("data-ready", "");
      if (input.value) run();
    }).catch(function () {
      status.textContent = FAILED;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSearch);
  else initSearch();
})();
