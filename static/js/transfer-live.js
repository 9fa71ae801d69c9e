// The transfer page keeps its price, end time, countdown and bid history current without reloading:
// it polls the page's small JSON endpoint (same origin, so the CSP's script-src 'self' is enough).
(function () {
  "use strict";
  var root = document.getElementById("transfer");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  var endsEl = document.getElementById("ends-at");
  var endsAt = endsEl && endsEl.getAttribute("data-ends-at") ? new Date(endsEl.getAttribute("data-ends-at")) : null;
  var skew = 0; // server clock minus browser clock, so the countdown follows the server

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var el = document.getElementById("countdown");
    if (!el || !endsAt) { return; }
    var left = Math.max(0, Math.floor((endsAt.getTime() - (Date.now() + skew)) / 1000));
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60);
    el.textContent = (d ? d + "天 " : "") + pad(h) + ":" + pad(m) + ":" + pad(left % 60);
  }

  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = text; // text only: nothing from the server is parsed as HTML
    if (cls) { td.className = cls; }
    return td;
  }

  function render(data) {
    skew = new Date(data.server_time).getTime() - Date.now();
    if (data.ends_at) {
      endsAt = new Date(data.ends_at);
      endsEl.textContent = endsAt.toLocaleString("zh-CN", {hour12: false});
      endsEl.setAttribute("data-ends-at", data.ends_at);
    }
    document.getElementById("current-price").textContent = data.current_price || "—";
    document.getElementById("minimum-bid").textContent = data.minimum_bid;
    var state = document.getElementById("transfer-state");
    if (state) { state.textContent = data.state_label; state.setAttribute("data-state", data.state); }
    var body = document.querySelector("#bid-history tbody");
    if (body && data.bids.length) {
      var rows = document.createDocumentFragment();
      data.bids.forEach(function (b) {
        var tr = document.createElement("tr");
        tr.appendChild(cell(b.bidder));
        tr.appendChild(cell(b.amount, "num"));
        tr.appendChild(cell(new Date(b.placed_at).toLocaleString("zh-CN", {hour12: false})));
        rows.appendChild(tr);
      });
      body.replaceChildren(rows);
    }
    tick();
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  setInterval(tick, 1000);
  setInterval(poll, 3000);
  tick();
})();
