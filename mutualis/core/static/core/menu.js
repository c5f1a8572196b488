// The main menu on phones: hidden behind the « Menu » button, which opens and closes it
// (aria-expanded says which); on wider screens the CSS shows the menu and hides the button.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".nav-toggle");
  const nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  document.documentElement.classList.add("js-menu");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      nav.classList.remove("open");
      button.focus();
    }
  });
});
