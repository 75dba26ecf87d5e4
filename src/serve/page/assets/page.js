// ptsearch search page: entity autocomplete on the query box and keyboard shortcuts.
// Everything else (results, facets, chips, paging, type toggles) is plain links and forms,
// rendered by the server; this script only adds comfort and the page works without it.
// Suggestions are built with textContent, never innerHTML: entity names are untrusted.
(function () {
  'use strict';
  var box = document.getElementById('q');
  var list = document.getElementById('ac');
  var form = document.getElementById('search');
  if (!box || !list || !form) return;
  var items = [];
  var active = -1;
  var timer = null;
  var seq = 0;

  // The word being typed: from the last whitespace before the caret to the caret.
  function currentWord() {
    var caret = box.selectionStart == null ? box.value.length : box.selectionStart;
    var before = box.value.slice(0, caret);
    var start = before.search(/\S*$/);
    return { start: start, end: caret, text: before.slice(start) };
  }

  // The clause for an entity: `gene:673`, `disease:MESH:D009369`; quoted when needed.
  function clause(type, id) {
    var field = String(type).toLowerCase();
    if (id === '' || /[\s"()\\]/.test(id)) {
      return field + ':"' + id.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
    }
    return field + ':' + id;
  }

  function close() {
    list.hidden = true;
    list.textContent = '';
    items = [];
    active = -1;
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    if (!items.length) return;
    active = (i + items.length) % items.length;
    var lis = list.children;
    for (var k = 0; k < lis.length; k++) {
      lis[k].setAttribute('aria-selected', k === active ? 'true' : 'false');
    }
    box.setAttribute('aria-activedescendant', lis[active].id);
    lis[active].scrollIntoView({ block: 'nearest' });
  }

  function pick(i) {
    var s = items[i];
    if (!s) return;
    var w = currentWord();
    var text = clause(s.type, s.id);
    var rest = box.value.slice(w.end);
    box.value = box.value.slice(0, w.start) + text + (rest.charAt(0) === ' ' ? '' : ' ') + rest;
    var caret = w.start + text.length + 1;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  function show(suggestions) {
    list.textContent = '';
    items = suggestions;
    active = -1;
    if (!items.length) { close(); return; }
    items.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'ac-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.clause = clause(s.type, s.id);
      var type = document.createElement('span');
      var known = ['Gene', 'Disease', 'Chemical', 'Species', 'Variant', 'CellLine'];
      type.className = 'ac-type ' + (known.indexOf(s.type) >= 0 ? 't-' + s.type : 't-other');
      type.textContent = s.type;
      var name = document.createElement('span');
      name.className = 'ac-name';
      var m = s.mentions && s.mentions[0];
      name.textContent = m ? (Array.isArray(m) ? m[0] : (m.text || m.mention || s.id)) : s.id;
      var id = document.createElement('span');
      id.className = 'ac-id muted';
      id.textContent = s.id;
      var count = document.createElement('span');
      count.className = 'ac-count muted';
      count.textContent = s.documents + ' docs';
      li.append(type, name, id, count);
      li.addEventListener('mousedown', function (e) { e.preventDefault(); pick(i); });
      list.appendChild(li);
    });
    list.hidden = false;
    box.setAttribute('aria-expanded', 'true');
  }

  function lookup() {
    var w = currentWord();
    // Only a bare word is completed (not `gene:673`, operators or quoted text).
    if (w.text.length < 2 || /[:"()@^]/.test(w.text) || /^(AND|OR|NOT)$/.test(w.text)) {
      close();
      return;
    }
    var mine = ++seq;
    fetch('/api/v1/entities?limit=8&prefix=' + encodeURIComponent(w.text.replace(/^-/, '')))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (d) {
        if (mine !== seq) return;
        var list = Array.isArray(d) ? d : (d.entities || d.results || []);
        show(list.filter(function (s) { return s && s.type && s.id; }));
      })
      .catch(function () { if (mine === seq) close(); });
  }

  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 120);
  });
  box.addEventListener('blur', function () { setTimeout(close, 100); });
  box.addEventListener('keydown', function (e) {
    var open = !list.hidden && items.length > 0;
    if (e.key === 'ArrowDown' && open) { e.preventDefault(); setActive(active + 1); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); setActive(active - 1); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); close(); }
    else if ((e.key === 'Enter' || e.key === 'Tab') && open && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Enter') {
      close();
    }
  });

  // `/` focuses the query box (unless typing in a field already).
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  });
})();
