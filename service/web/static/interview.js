// The interview pages, enhanced: the pages work without this file; with it (and htmx), every
// change saves as it is made, nothing typed is lost by leaving the page, dates get a calendar,
// and focus goes where a person needs it. No inline script or handler anywhere (strict CSP).
(function () {
  "use strict";

  var pending = 0; // autosave requests not answered yet
  var dirty = false; // typed since the last autosave was sent, or refused

  function isAutosave(event) {
    var path = event.detail && event.detail.requestConfig && event.detail.requestConfig.path;
    return typeof path === "string" && /\/autosave$/.test(path);
  }

  // Fields typed into while a save was on its way: a page drawn again by that save (a choice
  // that opened questions) must not take their text away.
  var typedSince = {};
  document.addEventListener("input", function (event) {
    if (!event.target.closest || !event.target.closest(".step-form")) return;
    dirty = true;
    if (event.target.id) typedSince[event.target.id] = event.target.type === "radio" ? event.target.checked : event.target.value;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isAutosave(event)) return;
    pending += 1;
    dirty = false;
    typedSince = {};
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    // The page, or the region of an item button, drawn again; not an autosave's status.
    if (!event.detail.target || event.detail.target.id === "autosave-status") return;
    var kept = typedSince;
    typedSince = {};
    Object.keys(kept).forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      if (field.type === "radio") field.checked = kept[id];
      else field.value = kept[id];
      dirty = true;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isAutosave(event)) return;
    pending = Math.max(0, pending - 1);
    var refused = !event.detail.successful || (event.detail.xhr && /data-outcome="(refused|stale)"/.test(event.detail.xhr.responseText));
    if (refused) dirty = true;
    drain();
  });

  // A refused autosave's messages also go beside the fields they are about, as the Save
  // button's page puts them, with the field marked invalid; the next answer takes them away.
  function clearBeside() {
    document.querySelectorAll("ul.problems[data-autosave]").forEach(function (list) { list.remove(); });
    document.querySelectorAll("[data-autosave-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("data-autosave-invalid");
      var kept = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== input.id + "-autosave";
      });
      if (kept.length) input.setAttribute("aria-describedby", kept.join(" "));
      else input.removeAttribute("aria-describedby");
    });
  }
  function showBeside(status) {
    var byField = {};
    status.querySelectorAll("li[data-field]").forEach(function (item) {
      (byField[item.dataset.field] = byField[item.dataset.field] || []).push(item);
    });
    Object.keys(byField).forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      var list = document.createElement("ul");
      list.className = "problems";
      list.id = id + "-autosave";
      list.setAttribute("data-autosave", "1");
      byField[id].forEach(function (item) {
        var line = document.createElement("li");
        line.className = item.className;
        line.textContent = item.textContent;
        list.appendChild(line);
      });
      // Where the page itself puts a field's problems: above its input, or under a legend.
      var legend = field.tagName === "FIELDSET" && field.querySelector("legend");
      if (legend) legend.insertAdjacentElement("afterend", list);
      else field.insertAdjacentElement("beforebegin", list);
      if (field.getAttribute("aria-invalid") !== "true") {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("data-autosave-invalid", "1");
      }
      var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      described.push(list.id);
      field.setAttribute("aria-describedby", described.join(" "));
    });
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.detail.target;
    if (!status || status.id !== "autosave-status") return;
    clearBeside();
    showBeside(status);
  });

  // What waits for the saves: run once none is in flight, a moment later, since htmx issues
  // a queued save only after the previous one has answered.
  var afterSaves = [];
  function drain() {
    window.setTimeout(function () {
      if (pending > 0) return;
      afterSaves.splice(0).forEach(function (next) { next(); });
    }, 50);
  }
  function whenSaved(next) {
    afterSaves.push(next);
    drain();
  }

  // A link clicked while a change is being saved waits for the save, then goes.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || (pending === 0 && !dirty) || event.defaultPrevented || link.target) return;
    event.preventDefault();
    whenSaved(function () { window.location.href = link.href; });
  });

  // The form's own buttons wait for the saves of the field just left (its change event comes
  // first), so that they carry the revision those saves left; the page may have been drawn
  // again meanwhile, so the same button of the form now on the page is pressed.
  var releasing = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (releasing || !form.classList || !form.classList.contains("step-form")) return;
    event.preventDefault();
    var submitter = event.submitter;
    var value = submitter ? submitter.value : "continue";
    whenSaved(function () {
      var current = document.querySelector("form.step-form") || form;
      var button = current.querySelector('button[name="_action"][value="' + value + '"]');
      dirty = false;
      releasing = true;
      try { current.requestSubmit(button || undefined); } finally { releasing = false; }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || pending > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Dates: a calendar beside the text box, which still takes typed dates.
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function addCalendars(root) {
    root.querySelectorAll("input.date:not([data-calendar])").forEach(function (text) {
      text.setAttribute("data-calendar", "1");
      var picker = document.createElement("input");
      picker.type = "date";
      picker.className = "date-picker";
      var label = document.querySelector('label[for="' + text.id + '"]');
      picker.setAttribute("aria-label", "Choose from a calendar: " + (label ? label.textContent.trim() : "date"));
      if (text.dataset.iso) picker.value = text.dataset.iso;
      picker.addEventListener("change", function () {
        if (!picker.value) return;
        var parts = picker.value.split("-");
        text.value = MONTHS[Number(parts[1]) - 1] + " " + Number(parts[2]) + ", " + parts[0];
        dirty = true;
        text.dispatchEvent(new Event("change", { bubbles: true }));
      });
      text.insertAdjacentElement("afterend", picker);
    });
  }

  // After an item is added, moved or removed in place: focus what the server names.
  function focusNamed(root) {
    var notes = root.querySelector ? root.querySelector("#step-notes[data-focus]") : null;
    if (!notes) return;
    var target = document.getElementById(notes.dataset.focus);
    notes.removeAttribute("data-focus"); // once: a later save must not move the focus again
    if (!target) return;
    if (target.tagName === "DETAILS") {
      target.open = true;
      var input = target.querySelector("input:not([type=hidden]), select, textarea");
      var summary = target.querySelector("summary");
      // A new item: its first question; a moved one: its line.
      (target.dataset.new === "1" && input ? input : summary || input).focus();
    } else {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function enhance(root) {
    addCalendars(root);
    var refused = root.querySelector && root.querySelector(".summary.refused:not([data-focused])");
    if (refused) {
      refused.setAttribute("data-focused", "1"); // once, when the page is drawn
      refused.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); focusNamed(document); });
  // A page drawn again (an item added, moved or removed) focuses what it names, once; the
  // status of an autosave never takes the focus from the typing.
  document.addEventListener("htmx:afterSettle", function () {
    enhance(document);
    focusNamed(document);
  });
})();
