/* Enhancements that need a script, served from the site itself (no third-party host). The pages work without
   it: every table is readable and every dataset is listed.
   1. Sortable tables: a button in each column header sorts the rows. Numbers are read the way the page's
      language writes them (<html lang>): Vietnamese 2.735,764 or "hơn 90.497 ha", English 2,735.764 or
      "more than 90,497 ha" sort as 2735.764 and 90497, so numeric columns sort as numbers.
   2. Catalogue filter: narrow the list of datasets by topic, locality and year (data-* attributes written
      by the generator); on a catalogue of several pages, the other pages are read when the reader narrows.
   3. Offline reading: registers the service worker (sw.js, at the root of this language's site), which
      keeps a copy of the pages a reader opens; tells it to keep this first page too.
   4. A table wider than the screen scrolls sideways in its frame; a frame that scrolls and holds nothing a
      keyboard can reach (no link, no sort button) is made focusable, named after its table's caption, so
      that a keyboard user can scroll it too (axe-core: scrollable-region-focusable). */
(function () {
  "use strict";

  var ENGLISH = (document.documentElement.lang || "").slice(0, 2) === "en";
  var NUMBER = ENGLISH
    ? /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/
    : /-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?/;
  var WORDS = ENGLISH
    ? { sortBy: "Sort by ", datasets: " datasets", locale: "en" }
    : { sortBy: "Sắp xếp theo ", datasets: " bộ dữ liệu", locale: "vi" };

  function numberOf(text) {
    var match = NUMBER.exec(text);
    if (!match) return null;
    var digits = ENGLISH ? match[0].replace(/,/g, "") : match[0].replace(/\./g, "").replace(",", ".");
    return parseFloat(digits);
  }

  function sortKey(cell) {
    var text = (cell.textContent || "").trim();
    var value = numberOf(text);
    return { text: text, number: value };
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || !table.tBodies.length) return;
    var body = table.tBodies[0];
    if (body.rows.length < 2) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      var label = th.textContent.trim();
      if (!label) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = label;
      button.setAttribute("aria-label", WORDS.sortBy + label);
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.rows[0].cells, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var keys = rows.map(function (row) { return sortKey(row.cells[index] || row.cells[0]); });
        var numeric = keys.every(function (k) { return k.number !== null || k.text === "" || k.text === "—"; })
          && keys.some(function (k) { return k.number !== null; });
        var order = rows.map(function (row, i) { return i; });
        order.sort(function (a, b) {
          var x = keys[a], y = keys[b], result;
          if (numeric) {
            if (x.number === null && y.number === null) result = 0;
            else if (x.number === null) return 1;  /* empty cells last, in both directions */
            else if (y.number === null) return -1;
            else result = x.number - y.number;
          } else {
            result = x.text.localeCompare(y.text, WORDS.locale);
          }
          return (ascending ? result : -result) || a - b;
        });
        order.forEach(function (i) { body.appendChild(rows[i]); });
      });
    });
  }

  function setUpFilter(form) {
    var list = document.querySelector(".catalogue-list");
    if (!list) return;
    var items = list.querySelectorAll("li[data-topics]");
    var status = form.querySelector(".catalogue-count");
    var pager = document.querySelector("nav.pager");
    /* A catalogue of several pages: the form lists the other pages (data-pages). They are read once, when
       the reader first narrows the list, and their datasets added to this list (hidden unless they match),
       so that a choice narrows the whole catalogue, not one page of it. */
    var others = (form.getAttribute("data-pages") || "").split(" ").filter(Boolean);
    var loading = null;
    function readOthers() {
      if (!others.length) return Promise.resolve();
      if (!loading) {
        loading = Promise.all(others.map(function (href) {
          var address = new URL(href, location.href);
          return fetch(address.href).then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.text();
          }).then(function (text) {
            var page = new DOMParser().parseFromString(text, "text/html");
            return Array.prototype.map.call(page.querySelectorAll(".catalogue-list li[data-topics]"), function (item) {
              Array.prototype.forEach.call(item.querySelectorAll("a[href]"), function (link) {
                link.setAttribute("href", new URL(link.getAttribute("href"), address).href);
              });
              item.setAttribute("data-other-page", "");
              return document.importNode(item, true);
            });
          });
        })).then(function (pages) {
          pages.forEach(function (page) { page.forEach(function (item) { list.appendChild(item); }); });
          items = list.querySelectorAll("li[data-topics]");
        }).catch(function () { others = []; /* this page alone is narrowed */ });
      }
      return loading;
    }
    function apply() {
      var wanted = {};
      var narrowed = false;
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
        wanted[select.name] = select.value;
        if (select.value) narrowed = true;
      });
      if (narrowed && others.length && !loading) {
        readOthers().then(apply);
        return;
      }
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var visible = Object.keys(wanted).every(function (name) {
          if (!wanted[name]) return true;
          return (item.getAttribute("data-" + name) || "").split("|").indexOf(wanted[name]) >= 0;
        });
        if (!narrowed && item.hasAttribute("data-other-page")) visible = false; /* on its own page */
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      if (pager) pager.hidden = narrowed;
      var total = parseInt(form.getAttribute("data-total") || "", 10) || items.length;
      if (status) status.textContent = shown + " / " + total + WORDS.datasets;
    }
    /* The choices live in the address (?members=dak-po&years=2023): a member's page links to the catalogue
       narrowed to it, and a reader can share or bookmark what they narrowed. */
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var value = params.get(select.name);
      if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
    });
    form.addEventListener("change", function () {
      var query = new URLSearchParams();
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
        if (select.value) query.set(select.name, select.value);
      });
      var search = query.toString();
      history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
      apply();
    });
    form.hidden = false;
    apply();
  }

  /* This script is served at <site>/assets/javascripts/site.js: the site's root is two folders up. */
  var SITE_ROOT = document.currentScript ? new URL("../../", document.currentScript.src) : null;

  function keepForOffline() {
    if (!SITE_ROOT || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(new URL("sw.js", SITE_ROOT).href, { scope: SITE_ROOT.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var loaded = performance.getEntriesByType("resource").map(function (entry) { return entry.name; });
        if (registration.active) registration.active.postMessage({ keep: [location.href].concat(loaded) });
      })
      .catch(function () { /* no offline copy: the site works as before */ });
  }

  function reachScrollingTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (frame) {
      var scrolls = frame.scrollWidth > frame.clientWidth;
      if (frame.getAttribute("data-focusable-frame") === null && frame.querySelector("a, button, [tabindex]")) return;
      if (scrolls) {
        var caption = frame.querySelector("caption");
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", caption ? caption.textContent.trim() : "");
        frame.setAttribute("data-focusable-frame", "");
      } else if (frame.getAttribute("data-focusable-frame") !== null) {
        ["tabindex", "role", "aria-label", "data-focusable-frame"].forEach(function (name) {
          frame.removeAttribute(name);
        });
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), makeSortable);
    reachScrollingTables();
    window.addEventListener("load", reachScrollingTables);
    window.addEventListener("resize", reachScrollingTables);
    var form = document.querySelector("form.catalogue-filter");
    if (form) setUpFilter(form);
    keepForOffline();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
