// Behaviour of the incident site: table sorting and filtering, overdue marks, Mermaid diagrams and search.
// Everything works on pages opened from file://; without JavaScript every page still reads in full.
(function () {
  'use strict';

  function onReady(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn); else fn();
  }

  // ---- Home: sort and filter the incident table ----
  function setupTable() {
    var table = document.getElementById('incident-table');
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var shown = document.getElementById('shown');
    var selects = document.querySelectorAll('select[data-filter]');

    function applyFilters() {
      var wanted = {};
      selects.forEach(function (s) { if (s.value) wanted[s.dataset.filter] = s.value; });
      var count = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(wanted).every(function (key) {
          var have = row.dataset[key] || '';
          return key === 'service' ? have.split('\n').indexOf(wanted[key]) >= 0 : have === wanted[key];
        });
        row.hidden = !ok;
        if (ok) count++;
      });
      if (shown) shown.textContent = count + (count === 1 ? ' incident' : ' incidents');
      var params = new URLSearchParams();
      Object.keys(wanted).forEach(function (k) { params.set(k, wanted[k]); });
      var hash = params.toString();
      if (history.replaceState) history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    }
    selects.forEach(function (s) { s.addEventListener('change', applyFilters); });
    // Filters survive a reload and can be shared as a link: index.html#severity=SEV1
    if (location.hash.length > 1 && location.hash.indexOf('=') > 0) {
      var initial = new URLSearchParams(location.hash.slice(1));
      selects.forEach(function (s) { if (initial.has(s.dataset.filter)) s.value = initial.get(s.dataset.filter); });
      applyFilters();
    }

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        function key(row) {
          var cell = row.cells[column];
          return cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent.trim().toLowerCase();
        }
        var numeric = rows.every(function (r) { var k = key(r); return k === '' || !isNaN(Number(k)); });
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === '' && y !== '') return 1;
          if (y === '' && x !== '') return -1;
          var c = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // ---- Action items: mark overdue against today's date ----
  function markOverdue() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll('tr[data-due]').forEach(function (row) {
      var due = row.getAttribute('data-due');
      if (due && due < today) {
        row.classList.add('overdue');
        var badge = document.createElement('span');
        badge.className = 'badge overdue';
        badge.textContent = 'overdue';
        row.cells[0].appendChild(document.createTextNode(' '));
        row.cells[0].appendChild(badge);
      }
    });
  }

  // ---- Incident pages: Mermaid code blocks become diagrams ----
  function drawDiagrams() {
    var blocks = document.querySelectorAll('pre > code.language-mermaid');
    if (!blocks.length || !window.mermaid) return;
    blocks.forEach(function (code) {
      var div = document.createElement('div');
      div.className = 'mermaid';
      div.textContent = code.textContent;
      code.parentNode.replaceWith(div);
    });
    // 'strict': labels are text, and diagram click handlers are off.
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', gantt: { useWidth: 960 } });
    window.mermaid.run({ querySelector: 'div.mermaid' }).catch(function (e) { console.error(e); });
  }

  // ---- Search ----
  // Terms are what engineers type: a path, an IP:port, an error name. Trailing punctuation is dropped;
  // pieces between : / = , ? & # @ are terms of their own, and the index also holds each word inside them.
  var EDGE = /^[\s"'`(\[{<,;.!?]+|[\s"'`)\]}>,;.!?:]+$/g;
  function pieces(word) {
    return word.split(/[:\/=,?&#@]+/).map(function (p) { return p.replace(EDGE, ''); }).filter(Boolean);
  }
  function indexTerms(text) {
    var out = [];
    text.split(/\s+/).forEach(function (raw) {
      var w = raw.replace(EDGE, '');
      if (!w) return;
      out.push(w);
      var ps = pieces(w);
      if (ps.length > 1 || ps[0] !== w) out.push.apply(out, ps);
      var words = w.split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
      if (words.length > 1) out.push.apply(out, words);
    });
    return out;
  }
  function queryTerms(text) {
    var out = [];
    text.split(/\s+/).forEach(function (raw) {
      var w = raw.replace(EDGE, '');
      if (w) out.push.apply(out, pieces(w));
    });
    return out;
  }

  function setupSearch() {
    var results = document.getElementById('search-results');
    if (!results) return;
    var status = document.getElementById('search-status');
    var input = document.getElementById('q');
    var root = '';
    if (!window.MiniSearch || !window.hokusaiSearchIndex) {
      status.textContent = 'The search index did not load.';
      return;
    }
    var docs = window.hokusaiSearchIndex;
    var mini = new window.MiniSearch({
      fields: ['t', 'x', 'i'],
      storeFields: ['k', 't', 'n', 'u'],
      tokenize: indexTerms,
      processTerm: function (term) { return term.toLowerCase(); },
      searchOptions: {
        tokenize: queryTerms,
        combineWith: 'AND',
        boost: { t: 2 },
        prefix: function (term, i, terms) { return i === terms.length - 1; }
      }
    });
    mini.addAll(docs);

    function show(query) {
      results.textContent = '';
      query = query.trim();
      if (!query) {
        status.textContent = docs.length + ' items searchable. Type a word above.';
        return;
      }
      var hits = mini.search(query);
      status.textContent = hits.length === 0 ? 'No matches for "' + query + '".'
        : hits.length + (hits.length === 1 ? ' match' : ' matches') + ' for "' + query + '"' + (hits.length > 100 ? ', the first 100:' : ':');
      hits.slice(0, 100).forEach(function (hit) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = root + hit.u;
        a.textContent = hit.t;
        var kind = document.createElement('span');
        kind.className = 'badge kind';
        kind.textContent = hit.k;
        var where = document.createElement('div');
        where.className = 'muted';
        where.textContent = hit.n;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(a);
        li.appendChild(where);
        results.appendChild(li);
      });
    }

    var initial = new URLSearchParams(location.search).get('q') || '';
    input.value = initial;
    show(initial);
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        show(input.value);
        if (history.replaceState) history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
      }, 120);
    });
    input.form.addEventListener('submit', function (e) { e.preventDefault(); show(input.value); });
  }

  onReady(function () {
    setupTable();
    markOverdue();
    drawDiagrams();
    setupSearch();
  });
})();
