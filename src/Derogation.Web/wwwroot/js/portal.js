// After a refused form, the keyboard and the screen reader start at the error summary (RGAA 11.10, DSFR's error
// pattern): it lists each error with a link to its field. The summary has tabindex="-1" so that it can take focus.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("resume-erreurs");
  if (summary) {
    summary.focus();
  }
});

// A table wider than the screen (a phone) scrolls sideways: DSFR makes the table itself the scrolling box. It takes
// the keyboard focus (its caption names it), so that it can be scrolled without a mouse (RGAA 7.3; axe
// "scrollable-region-focusable").
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".fr-table > table:not([tabindex])").forEach((table) => {
    table.tabIndex = 0;
  });
});
