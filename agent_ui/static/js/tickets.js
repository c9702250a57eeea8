// The ticket views: "select all" for the bulk changes.
document.addEventListener("change", (e) => {
  if (!e.target.matches("[data-select-all]")) return;
  for (const box of e.target.closest("form").querySelectorAll("input[name=ticket_ids]")) box.checked = e.target.checked;
});
