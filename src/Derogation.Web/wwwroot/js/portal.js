// After a refused form, the keyboard and the screen reader start at the error summary (RGAA 11.10, DSFR's error
// pattern): it lists each error with a link to its field. The summary has tabindex="-1" so that it can take focus.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("resume-erreurs");
  if (summary) {
    summary.focus();
  }
});
