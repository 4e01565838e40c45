// Order intake reviewer UI: source highlighting and keyboard shortcuts. No dependencies.
(function () {
  "use strict";

  // --- highlighting: draft fields carry data-key, source spans/boxes carry data-keys -------
  function sourcesFor(key) {
    return Array.prototype.filter.call(document.querySelectorAll("[data-keys]"), function (el) {
      return el.getAttribute("data-keys").split(" ").indexOf(key) !== -1;
    });
  }
  function fieldsFor(key) {
    return Array.prototype.slice.call(document.querySelectorAll('[data-key="' + key + '"]'));
  }
  function setLit(elements, on) {
    elements.forEach(function (el) { el.classList.toggle("lit", on); });
  }
  function litGroup(target) {
    var field = target.closest("[data-key]");
    if (field) {
      var key = field.getAttribute("data-key");
      return { all: [field].concat(sourcesFor(key)), sources: sourcesFor(key) };
    }
    var source = target.closest("[data-keys]");
    if (source) {
      var keys = source.getAttribute("data-keys").split(" ");
      var all = [source];
      keys.forEach(function (k) { all = all.concat(fieldsFor(k)); });
      return { all: all, sources: [] };
    }
    return null;
  }
  var current = null;
  function light(target, scroll) {
    var group = litGroup(target);
    if (current) { setLit(current, false); current = null; }
    if (!group) { return; }
    current = group.all;
    setLit(current, true);
    if (scroll && group.sources.length) {
      group.sources[0].scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }
  document.addEventListener("mouseover", function (ev) {
    if (ev.target instanceof Element) { light(ev.target, false); }
  });
  document.addEventListener("focusin", function (ev) {
    if (ev.target instanceof Element) { light(ev.target, true); }
  });

  // --- keyboard ------------------------------------------------------------------------------
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
                  el.isContentEditable);
  }
  function shortcut(name) { return document.querySelector('[data-shortcut="' + name + '"]'); }

  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var at = -1;
  function moveRow(step) {
    if (!rows.length) { return; }
    if (at >= 0) { rows[at].classList.remove("current"); }
    at = Math.max(0, Math.min(rows.length - 1, at + step));
    var row = rows[at];
    row.classList.add("current");
    var link = row.querySelector("a.open-task");
    if (link) { link.focus(); }
    row.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (typing(document.activeElement)) {
      if (ev.key === "Escape") { document.activeElement.blur(); }
      return;
    }
    var target = null;
    switch (ev.key) {
      case "j": moveRow(1); break;
      case "k": moveRow(-1); break;
      case "Enter":
        if (at >= 0 && document.activeElement === document.body) {
          var link = rows[at].querySelector("a.open-task");
          if (link) { link.click(); }
        }
        return;
      case "/": target = shortcut("/"); break;
      case "a":
        target = shortcut("a");
        // "a" focuses Approve; a second "a" (or Enter) presses it.
        if (target && document.activeElement === target) { target.click(); ev.preventDefault(); return; }
        break;
      case "r": target = shortcut("r"); break;
      case "e": target = shortcut("e"); break;
      default: return;
    }
    if (target) {
      ev.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });
})();
