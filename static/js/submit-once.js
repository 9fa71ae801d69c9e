/*
 * A courtesy against double posts: once a form that posts has been submitted, its submit buttons are
 * disabled and further submits of that form are ignored while the page waits for the answer. The
 * server's one-time form token is the real guard (see marketplace/listings/one_time.py).
 * A form can opt out with data-submit-once="off". No inline script: this file is loaded with
 * <script src> so a Content-Security-Policy without 'unsafe-inline' keeps working.
 */
(function () {
  "use strict";

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "BUTTON" && (el.type || "submit") === "submit") ||
        (el.tagName === "INPUT" && (el.type === "submit" || el.type === "image"));
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitOnce === "off") return;
    if (form.dataset.submitting === "true") {
      event.preventDefault(); // a second click while the first post is on its way
      return;
    }
    if (event.defaultPrevented) return; // another script stopped this submit: nothing is sent
    form.dataset.submitting = "true";
    form.setAttribute("aria-busy", "true");
    // Disabled after the browser has collected the form's data, so the clicked button's own
    // name=value (some forms have several submit buttons) is still sent.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        button.disabled = true;
        button.dataset.disabledBySubmitOnce = "true";
      });
    }, 0);
  });

  // Back to a page kept in the browser's back/forward cache: let the person use its forms again (the
  // server answers a repeated post with what the first one saved).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      submitButtons(form).forEach(function (button) {
        if (button.dataset.disabledBySubmitOnce === "true") {
          button.disabled = false;
          delete button.dataset.disabledBySubmitOnce;
        }
      });
    });
  });
})();
