// While the documents are made and converted to PDF (a few seconds), show progress and keep
// the button from being pressed twice. Without JavaScript the form works the same, silently.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-progress]")) {
    form.addEventListener("submit", () => {
      const progress = document.getElementById(form.dataset.progress);
      if (progress) progress.hidden = false;
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    });
  }
});
