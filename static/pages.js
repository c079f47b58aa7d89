// The certificate's print button: the page prints without it too (Ctrl+P).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
// Invitation and reset links: one click selects the whole link to copy.
document.querySelectorAll("[data-copy]").forEach(function (field) {
  field.addEventListener("focus", function () { field.select(); });
});
