// Search page: changing the sort order re-runs the search right away (when there is something to sort).
(function () {
  var sort = document.getElementById("id_sort"), q = document.getElementById("id_q");
  if (!sort || !q) return;
  sort.addEventListener("change", function () {
    if (q.value.trim() || sort.form.querySelector("input[type=hidden]")) sort.form.submit();
  });
})();
