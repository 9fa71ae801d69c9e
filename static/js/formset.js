/*
 * Repeatable form rows (a Django formset) without inline script, so the site's Content-Security-Policy
 * (script-src 'self') keeps working. Markup:
 *   <div data-formset="PREFIX"> ... management form ...
 *     <div data-formset-rows> rows, each [data-formset-row] with its PREFIX-N-DELETE checkbox
 *       (inside a [data-formset-delete] label) and a hidden [data-formset-remove] button </div>
 *     <template data-formset-template> the empty form, its names holding __prefix__ </template>
 *     <button type="button" data-formset-add hidden>
 * Without JavaScript the page still works: existing rows plus one blank row, and a delete checkbox.
 * With it, "add a row" appends a fresh row and "delete" ticks the checkbox and hides the row.
 * Optional live count (e.g. seats a registration takes): an element [data-formset-count-for="PREFIX"]
 * (shown once counting works) whose [data-formset-count] parts get the number of visible rows with
 * something typed in; with data-limit="N", its [data-formset-over] part shows while that number exceeds N.
 */
(function () {
  "use strict";

  var RENAMED = ["name", "id", "for", "aria-describedby", "aria-labelledby"];

  function renumber(root, index) {
    Array.prototype.forEach.call(root.querySelectorAll("*"), function (el) {
      RENAMED.forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf("__prefix__") !== -1) {
          el.setAttribute(attr, value.replace(/__prefix__/g, String(index)));
        }
      });
    });
  }

  function wireRow(row, addButton, update) {
    var checkbox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    var remove = row.querySelector("[data-formset-remove]");
    if (!checkbox || !remove) return; // a row that cannot be deleted
    var label = row.querySelector("[data-formset-delete]");
    if (label) label.hidden = true;
    remove.hidden = false;
    remove.addEventListener("click", function () {
      checkbox.checked = true;
      row.hidden = true;
      update();
      addButton.focus(); // the focused button disappeared with its row
    });
  }

  function filledRows(rows) {
    return Array.prototype.filter.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
      if (row.hidden) return false;
      return Array.prototype.some.call(
        row.querySelectorAll('input:not([type=hidden]):not([type=checkbox]), textarea'),
        function (input) { return input.value.trim() !== ""; });
    }).length;
  }

  function counter(prefix, rows) {
    var boxes = document.querySelectorAll('[data-formset-count-for="' + prefix + '"]');
    function update() {
      var count = filledRows(rows);
      Array.prototype.forEach.call(boxes, function (box) {
        box.hidden = false;
        Array.prototype.forEach.call(box.querySelectorAll("[data-formset-count]"), function (el) {
          el.textContent = String(count);
        });
        var limit = parseInt(box.dataset.limit, 10);
        var over = box.querySelector("[data-formset-over]");
        if (over) over.hidden = isNaN(limit) || count <= limit;
      });
    }
    return update;
  }

  function setUp(container) {
    var prefix = container.dataset.formset;
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = container.querySelector("[data-formset-rows]");
    var template = container.querySelector("template[data-formset-template]");
    var addButton = container.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !addButton) return;
    var maxInput = container.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var max = maxInput ? parseInt(maxInput.value, 10) : NaN;
    var count = counter(prefix, rows);
    // At the formset's maximum (e.g. 20 participants per registration) no further row can be added.
    function update() {
      count();
      var shown = Array.prototype.filter.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
        return !row.hidden;
      }).length;
      addButton.disabled = !isNaN(max) && shown >= max;
    }
    Array.prototype.forEach.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
      wireRow(row, addButton, update);
    });
    rows.addEventListener("input", update);
    update();
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var fragment = template.content.cloneNode(true);
      renumber(fragment, index);
      var row = fragment.querySelector("[data-formset-row]");
      rows.appendChild(fragment);
      total.value = String(index + 1);
      wireRow(row, addButton, update);
      update();
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
