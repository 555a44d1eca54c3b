/* The search page: the query box, filters and results, on the search core (search-core.js).

   The query and the filters are the page's state, kept in its URL (search/?q=…&区=…): a search typed or
   chosen here is a new entry of the browser's history (one for all the keystrokes of one query), so a search
   can be shared and bookmarked, and back and forward restore it; the header's search box, on this page,
   searches here with the filters kept. Results come 20 at a time ("显示更多"), the total is always shown, and
   the counts beside the filter values are those of the current query. Editor text becomes text nodes only. */
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

  /* `plain` from `from` to `to`, as text nodes with every one of `words` (lower case, longest first) in a
     <mark>, and "…" where it is cut. */
  function marked(plain, words, from, to) {
    var span = document.createElement("span");
    var lower = ascii(plain);
    if (from === undefined) from = 0;
    if (to === undefined) to = plain.length;
    var pos = from;
    if (from > 0) span.appendChild(document.createTextNode("…"));
    while (pos < to) {
      var next = -1, len = 0;
      words.forEach(function (w) {
        var j = lower.indexOf(w, pos);
        if (j !== -1 && j < to && (next === -1 || j < next || (j === next && w.length > len))) { next = j; len = w.length; }
      });
      if (next === -1) { span.appendChild(document.createTextNode(plain.slice(pos, to))); break; }
      if (next > pos) span.appendChild(document.createTextNode(plain.slice(pos, next)));
      span.appendChild(text("mark", plain.slice(next, next + len)));
      pos = next + len;
    }
    if (to < plain.length) span.appendChild(document.createTextNode("…"));
    return span;
  }

  function hasAny(plain, words) {
    var lower = ascii(plain);
    return words.some(function (w) { return lower.indexOf(w) !== -1; });
  }

  /* The words to mark in a result: the words as typed (split at spaces) when its text has them all, else the
     segments; and the names its pinyin words spell. */
  function wordsFor(plain, query, segments, spelled) {
    var lower = ascii(plain);
    var typed = ascii(query).split(/\s+/).filter(Boolean);
    var words = typed.every(function (w) { return lower.indexOf(w) !== -1; }) ? typed :
      segments.map(function (s) { return s.text; });
    return words.concat(spelled.map(ascii)).filter(Boolean).sort(function (a, b) { return b.length - a.length; });
  }

  /* An excerpt of a result's own words (heading · text) around the first place where the longest word
     stands, every word marked; the start of its text when the words are only in the names it is filed under. */
  function excerpt(r, words) {
    var plain = r.text || "";
    var lower = ascii(plain);
    var at = -1;
    for (var i = 0; i < words.length && at === -1; i++) at = lower.indexOf(words[i]);
    var title = (r.meta && r.meta.title) || "";
    if (at === -1 && title && plain.lastIndexOf(title + " · ", 0) === 0) plain = plain.slice(title.length + 3);
    var from = Math.max(0, at - 24);
    return marked(plain, words, from, Math.min(plain.length, from + 90));
  }

  var FILTER_ORDER = ["类型", "层级", "区", "年度", "主题", "单位"];  /* plansite.search.FILTERS */
  var PAGE = 20;

  function initSearch() {
    var root = document.getElementById("ps-search");
    if (!root) return;
    var form = document.getElementById("ps-search-form");
    var input = document.getElementById("ps-search-input");
    var status = document.getElementById("ps-search-status");
    var suggestBox = document.getElementById("ps-search-suggest");
    var list = document.getElementById("ps-search-results");
    var more = document.getElementById("ps-search-more");
    var filterBox = document.getElementById("ps-search-filterbox");
    var fieldset = document.getElementById("ps-search-filters");
    var chosenNote = document.getElementById("ps-search-chosen");
    var clear = document.getElementById("ps-search-clear");
    var base = siteRoot();
    var index = new SearchIndex(base);
    var selects = {};
    var filters = {};  /* the chosen filters: name → value */
    var seq = 0;
    var current = null;  /* the search shown: query, found, segments, results shown */
    var FAILED = "搜索索引载入失败。可以在“索引”页按拼音查找。";

    /* -- the state in the URL -- */
    function stateUrl(query, chosen) {
      var url = new URL(window.location.href);
      url.search = "";
      url.hash = "";
      if (query) url.searchParams.set("q", query);
      FILTER_ORDER.forEach(function (name) { if (chosen[name]) url.searchParams.set(name, chosen[name]); });
      return url.href;
    }

    function readUrl() {
      var params = new URL(window.location.href).searchParams;
      var chosen = {};
      FILTER_ORDER.forEach(function (name) { if (params.get(name)) chosen[name] = params.get(name); });
      return { q: (params.get("q") || "").trim(), filters: chosen };
    }

    /* `how`: "type" (the keystrokes of one query make one history entry: a query that adds to or takes from
       the one before replaces it, another one is a new entry, an empty box leaves the history alone), "commit"
       (a new entry unless nothing changed), or "restore" (back, forward, or the page opened with a state). */
    var typing = null;  /* the query of the entry the reader is typing into */
    function remember(how, query, shown) {
      var href = stateUrl(query, filters);
      if (how === "restore") { typing = null; return; }
      if (how === "type") {
        if (!query) { typing = null; return; }
        var same = typing !== null && (query.lastIndexOf(typing, 0) === 0 || typing.lastIndexOf(query, 0) === 0);
        typing = query;
        if (same) { window.history.replaceState({ shown: shown }, "", href); return; }
      } else {
        typing = null;
        if (href === window.location.href) { window.history.replaceState({ shown: shown }, "", href); return; }
      }
      window.history.pushState({ shown: shown }, "", href);
    }

    function rememberShown(shown) {
      window.history.replaceState({ shown: shown }, "", window.location.href);
    }

    function showChosen() {
      var values = FILTER_ORDER.filter(function (n) { return filters[n]; }).map(function (n) { return filters[n]; });
      chosenNote.textContent = values.length ? "（已选：" + values.join("、") + "）" : "";
      clear.hidden = !values.length;
    }

    /* -- results -- */
    function resultItem(r, words) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = new URL(r.url, base).href;
      a.textContent = (r.meta && r.meta.title) || r.url;
      var h = document.createElement("h2");
      h.appendChild(a);
      li.appendChild(h);
      var m = r.meta || {};
      var bits = [m.kind, m.doc, m.district, m.year ? m.year + "年" : ""].filter(Boolean);
      var meta = document.createElement("p");
      meta.className = "ps-result-meta";
      meta.appendChild(marked(bits.join(" · "), words));
      li.appendChild(meta);
      var p = document.createElement("p");
      p.className = "ps-result-excerpt";
      p.appendChild(excerpt(r, words));
      li.appendChild(p);
      /* the names it is filed under that hold what was searched, as labelled fields */
      var fields = (r.fields || []).filter(function (f) { return f[0] && hasAny(f[1], words); });
      if (fields.length) {
        var ul = document.createElement("ul");
        ul.className = "ps-result-fields";
        fields.forEach(function (f) {
          var item = document.createElement("li");
          item.appendChild(text("span", f[0], "ps-result-label"));
          item.appendChild(document.createTextNode("："));
          item.appendChild(marked(f[1], words));
          ul.appendChild(item);
        });
        li.appendChild(ul);
      }
      var leadShown = fields.some(function (f) { return f[0] === "牵头单位"; });
      var extra = [m.lead && !leadShown ? "牵头：" + m.lead : "", m.deadline ? "时限：" + m.deadline : ""].filter(Boolean);
      if (extra.length) li.appendChild(text("p", extra.join("　"), "ps-result-meta"));
      return li;
    }

    /* The fragments of results `from` … `to`; among them, those that contain a query with punctuation
       literally come first. */
    async function page(found, query, from, to) {
      var rs = await index.fragments(found.ids.slice(from, to));
      var key = literalKey(query);
      if (key) {
        var has = rs.map(function (r) { return ascii(r.text + " " + (r.fields || []).map(function (f) { return f[1]; }).join(" ")).indexOf(key) !== -1; });
        rs = rs.filter(function (r, i) { return has[i]; }).concat(rs.filter(function (r, i) { return !has[i]; }));
      }
      return rs;
    }

    function showStatus() {
      var c = current;
      if (!c || !c.query) { status.textContent = ""; return; }
      var total = c.found.ids.length;
      var shown = total > c.shown ? "，显示前 " + c.shown + " 条" : "";
      var filtered = Object.keys(filters).length;
      status.textContent = !total ? "没有找到“" + c.query + "”" + (filtered ? "（在所选的筛选条件下）" : "") + "。" +
        (filtered ? "可以去掉筛选条件，或换一个词。" : "可以换一个词。") :
        c.found.partial ? "没有完全一致的“" + c.query + "”；下面 " + total + " 条结果含有其中的字" + shown + "。" :
        "找到 " + total + " 条结果" + shown + "。";
    }

    function showMore() {
      var c = current;
      var left = c ? c.found.ids.length - c.shown : 0;
      more.hidden = left <= 0;
      if (left > 0) more.textContent = "显示更多结果（还有 " + left + " 条）";
    }

    /* -- suggestions: other searches, one click each; the query itself is never changed -- */
    function suggestionLink(s, count) {
      var frag = document.createDocumentFragment();
      var a = document.createElement("a");
      a.href = stateUrl(s.query, filters);
      a.textContent = s.query;
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        input.value = s.query;
        input.focus();
        run("commit");
      });
      frag.appendChild(a);
      if (count) frag.appendChild(document.createTextNode("（" + count + " 条结果）"));
      return frag;
    }

    async function suggest(c, mine) {
      var variants = index.meta.variants || {};
      var hasVariant = Array.from(c.query).some(function (ch) { return variants[ch]; });
      if (c.found.ids.length && !hasVariant) return null;
      var names = c.found.ids.length ? [] : await index.names();
      var offers = S.suggestions(c.query, names, variants, 5);
      var counted = await Promise.all(offers.map(async function (s) {
        if (s.kind !== "variant") return 0;
        return (await find(index, querySegments(s.query), filters)).ids.length;
      }));
      if (mine !== seq) return null;
      var box = document.createDocumentFragment();
      var variant = offers.filter(function (s, i) { return s.kind === "variant" && counted[i]; })[0];
      var named = offers.filter(function (s) { return s.kind === "name"; });
      if (variant) {
        box.appendChild(document.createTextNode("“" + variant.word + "”通常写作“" + variant.name + "”，也可以搜索："));
        box.appendChild(suggestionLink(variant, counted[offers.indexOf(variant)]));
        if (named.length) box.appendChild(document.createTextNode("。"));
      }
      if (named.length) {
        box.appendChild(document.createTextNode("是不是要找："));
        named.forEach(function (s, i) {
          if (i) box.appendChild(document.createTextNode("、"));
          box.appendChild(suggestionLink(s, 0));
        });
        box.appendChild(document.createTextNode("？"));
      }
      return box.childNodes.length ? box : null;
    }

    /* -- filters: loaded when the reader opens them, or when the URL has some -- */
    var filtersLoaded = null;
    function loadFilters() {
      if (!filtersLoaded) filtersLoaded = buildFilters().catch(function (e) {
        filtersLoaded = null; status.textContent = FAILED; if (window.console) console.error(e);
      });
      return filtersLoaded;
    }

    async function buildFilters() {
      await index.filterCounts();
      FILTER_ORDER.forEach(function (name) {
        if (index.meta.filters.indexOf(name) === -1) return;
        var label = document.createElement("label");
        label.className = "ps-filter";
        label.appendChild(document.createTextNode(name + " "));
        var select = document.createElement("select");
        select.name = name;
        select.addEventListener("change", function () {
          if (select.value) filters[name] = select.value; else delete filters[name];
          showChosen();
          run("commit");
        });
        label.appendChild(select);
        fieldset.insertBefore(label, clear);
        selects[name] = select;
      });
      fieldset.hidden = false;
      await showCounts();
    }

    /* The filter values with their counts for the current query (the whole site's without one); values
       with none are left out, except a chosen one. */
    async function showCounts() {
      if (!Object.keys(selects).length) return;
      var mine = seq;
      var counts = current && current.query ? await S.facets(index, current.found, filters) : await index.filterCounts();
      if (mine !== seq) return;
      Object.keys(selects).forEach(function (name) {
        var select = selects[name];
        var values = counts[name] || {};
        var keys = Object.keys(values);
        if (filters[name] && !values[filters[name]]) keys.push(filters[name]);
        select.textContent = "";
        select.appendChild(new Option("全部", ""));
        keys.sort(function (a, b) { return a.localeCompare(b, "zh-Hans-CN"); }).forEach(function (v) {
          select.appendChild(new Option(v + "（" + (values[v] || 0) + "）", v));
        });
        select.value = filters[name] || "";
      });
      fieldset.setAttribute("data-query", current ? current.query : "");
    }

    /* -- searching -- */
    async function search(query, shown) {
      var segments = querySegments(query);
      var found = await find(index, segments, filters);
      var n = Math.min(found.ids.length, Math.max(PAGE, shown || 0));
      var results = [];
      for (var from = 0; from < n; from += PAGE) results = results.concat(await page(found, query, from, Math.min(n, from + PAGE)));
      return { query: query, segments: segments, found: found, results: results, shown: results.length };
    }

    function render(c) {
      list.textContent = "";
      var words = null;
      c.results.forEach(function (r) {
        words = wordsFor(r.text + " " + (r.fields || []).map(function (f) { return f[1]; }).join(" "), c.query,
          c.segments, c.found.spelled);
        list.appendChild(resultItem(r, words));
      });
      showStatus();
      showMore();
      list.setAttribute("data-query", c.query);
      list.setAttribute("data-total", String(c.found.ids.length));
    }

    async function run(how, shown) {
      var query = input.value.trim();
      var mine = ++seq;
      remember(how, query, shown || PAGE);
      suggestBox.hidden = true;
      suggestBox.textContent = "";
      suggestBox.removeAttribute("data-query");
      if (!query) {
        current = null;
        list.textContent = "";
        list.setAttribute("data-query", "");
        list.setAttribute("data-total", "0");
        showStatus();
        showMore();
        showCounts();
        return;
      }
      status.textContent = "正在搜索……";
      var c;
      try {
        try {
          c = await search(query, shown);
        } catch (e) {
          if (!(e instanceof StaleIndex)) throw e;
          await index.open(true);  /* the site was published again since this page loaded its index */
          c = await search(query, shown);
        }
      } catch (e) {
        if (mine === seq) status.textContent = FAILED;
        if (window.console) console.error(e);
        return;
      }
      if (mine !== seq) return;
      current = c;
      render(c);
      showCounts();
      var offer = await suggest(c, mine).catch(function (e) { if (window.console) console.error(e); return null; });
      if (mine !== seq) return;
      if (offer) {
        suggestBox.appendChild(offer);
        suggestBox.hidden = false;
      }
      suggestBox.setAttribute("data-query", c.query);
    }

    more.addEventListener("click", async function () {
      var c = current;
      if (!c) return;
      var mine = seq;
      more.disabled = true;
      try {
        var next = await page(c.found, c.query, c.shown, Math.min(c.found.ids.length, c.shown + PAGE));
        if (mine !== seq) return;
        var first = null;
        next.forEach(function (r) {
          var words = wordsFor(r.text + " " + (r.fields || []).map(function (f) { return f[1]; }).join(" "), c.query,
            c.segments, c.found.spelled);
          var li = resultItem(r, words);
          list.appendChild(li);
          first = first || li.querySelector("a");
        });
        c.results = c.results.concat(next);
        c.shown += next.length;
        rememberShown(c.shown);
        showStatus();
        showMore();
        if (first) first.focus();
      } catch (e) {
        status.textContent = FAILED;
        if (window.console) console.error(e);
      } finally {
        more.disabled = false;
      }
    });

    clear.addEventListener("click", function () {
      filters = {};
      showChosen();
      run("commit");
      input.focus();
    });

    /* searched as the reader types, after a pause; not while an input method is still composing a word */
    var timer = null;
    function typed(ev) {
      if (ev.isComposing) return;
      clearTimeout(timer);
      timer = setTimeout(function () { run("type"); }, 150);
    }
    input.addEventListener("input", typed);
    input.addEventListener("compositionend", typed);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run("commit"); });

    /* The header's search box, on this page: the same search, with the chosen filters. */
    var headForm = document.querySelector("form.ps-headsearch");
    var headInput = document.getElementById("ps-headsearch-q");
    if (headForm && headInput) headForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      input.value = headInput.value;
      clearTimeout(timer);
      run("commit");
    });

    function restore(shown) {
      var st = readUrl();
      input.value = st.q;
      filters = st.filters;
      showChosen();
      if (Object.keys(filters).length && filterBox && !filterBox.open) filterBox.open = true;
      run("restore", shown);
    }

    window.addEventListener("popstate", function (ev) {
      clearTimeout(timer);
      restore(ev.state && ev.state.shown);
    });

    status.textContent = "正在载入搜索索引……";
    index.open(false).then(function () {
      status.textContent = "";
      if (filterBox) {
        filterBox.hidden = false;
        filterBox.addEventListener("toggle", function () { if (filterBox.open) loadFilters(); });
      }
      root.setAttribute("data-ready", "");
      var was = window.history.state || {};
      window.history.replaceState({ shown: was.shown }, "", window.location.href);
      restore(was.shown);
    }).catch(function () {
      status.textContent = FAILED;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSearch);
  else initSearch();
})();
