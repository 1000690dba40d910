// The portal's own behaviour, loaded from a file: the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  // The language switch submits itself on change (the button is there without JavaScript).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
