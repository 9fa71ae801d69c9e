/*
 * The main navigation on a narrow screen: a 菜单 (Menu) button shows and hides the whole list, so no
 * section hides in a sideways scroll strip. Without JavaScript the list simply wraps onto several lines.
 * Escape closes the open menu and returns focus to the button.
 */
(function () {
  "use strict";
  var button = document.querySelector("[data-nav-toggle]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  document.documentElement.classList.add("nav-menu-ready");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
