/* The page that compares two plans: the reader picks two documents; their work points by theme (small files of
   the open data, data/compare/<id>.json) are shown side by side. The choice is in the URL (?a=…&b=…). */
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

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function init() {
    var root = document.getElementById("ps-compare");
    if (!root) return;
    root.hidden = false;
    var form = document.getElementById("ps-compare-form");
    var pick = [document.getElementById("ps-compare-a"), document.getElementById("ps-compare-b")];
    var status = document.getElementById("ps-compare-status");
    var out = document.getElementById("ps-compare-result");
    var base = siteRoot();

    function chosen() { return pick.map(function (s) { return s.options[s.selectedIndex]; }); }

    var byId = {};

    async function fetchJson(url) {
      var resp = await fetch(url);
      if (!resp.ok) throw new Error(resp.status);
      return resp.json();
    }

    async function load(option) {
      return fetchJson(new URL(byId[option.value].data, base).href);
    }

    /* The documents to choose from, grouped by year (data/compare/index.json). */
    async function fill() {
      var docs = await fetchJson(new URL(root.getAttribute("data-index"), window.location.href).href);
      pick.forEach(function (select) {
        var group = null;
        docs.forEach(function (d) {
          if (!group || group.label !== d.year + " 年") {
            group = document.createElement("optgroup");
            group.label = d.year + " 年";
            select.appendChild(group);
          }
          group.appendChild(new Option(d.title + "（" + d.level + "，" + d.doc_number + "）", d.id));
        });
      });
      docs.forEach(function (d) { byId[d.id] = d; });
    }

    function column(doc, theme) {
      var cell = el("div", "", "ps-compare-col");
      cell.appendChild(el("p", doc.title, "ps-compare-label"));
      var points = doc.themes[theme] || [];
      if (!points.length) { cell.appendChild(el("p", "（这份文件没有属于这个主题的工作要点）", "ps-compare-none")); return cell; }
      var list = el("ul");
      points.forEach(function (p) {
        var li = el("li");
        var a = el("a", p.heading);
        a.href = new URL(p.url, base).href;
        li.appendChild(a);
        if (p.lead) li.appendChild(el("span", "　牵头：" + p.lead, "ps-compare-lead"));
        list.appendChild(li);
      });
      cell.appendChild(list);
      return cell;
    }

    async function show() {
      var opts = chosen();
      out.textContent = "";
      if (!opts[0].value || !opts[1].value) { status.textContent = opts[0].value || opts[1].value ? "请再选一份文件。" : ""; return; }
      if (!byId[opts[0].value] || !byId[opts[1].value]) { status.textContent = "没有这份文件。"; return; }
      status.textContent = "正在载入……";
      var docs;
      try { docs = await Promise.all(opts.map(load)); } catch (e) { status.textContent = "载入失败，请稍后再试。"; return; }
      var order = docs[0].order;
      var shown = 0;
      order.forEach(function (t) {
        if (!(docs[0].themes[t.id] || []).length && !(docs[1].themes[t.id] || []).length) return;
        shown++;
        out.appendChild(el("h2", t.name));
        var row = el("div", "", "ps-compare-cols");
        row.appendChild(column(docs[0], t.id));
        row.appendChild(column(docs[1], t.id));
        out.appendChild(row);
      });
      status.textContent = "两份文件共涉及 " + shown + " 个主题。";
    }

    function fromUrl() {
      var params = new URL(window.location.href).searchParams;
      ["a", "b"].forEach(function (k, i) { pick[i].value = params.get(k) || ""; });
      show();
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var url = new URL(window.location.href);
      ["a", "b"].forEach(function (k, i) { if (pick[i].value) url.searchParams.set(k, pick[i].value); else url.searchParams.delete(k); });
      window.history.pushState(null, "", url.href);
      show();
    });
    window.addEventListener("popstate", fromUrl);
    fill().then(fromUrl).catch(function () { status.textContent = "文件列表载入失败，请稍后再试。"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
