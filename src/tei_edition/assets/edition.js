/* tei-edition: the web edition's behaviour. No library, no request.
   - popovers for names, dates, corrections and footnote calls ([data-pop]): on hover, on
     keyboard focus and on tap; Escape closes; the pointer can move into the popover;
   - highlight switches ([data-highlight]) and the source-reading switch (#show-source);
   - arrival on an occurrence (?hl=key#anchor): the mention itself is marked;
   - "cite this page": the page's address and today's date.
   Content is only ever copied from the page's own nodes (cloneNode) or set as text: nothing
   is parsed as HTML. */
(function () {
  "use strict";

  var box = document.getElementById("popover");
  var current = null;
  var hideTimer = null;
  var touchOpened = null;

  function templateFor(trigger) {
    var id = trigger.getAttribute("data-pop");
    if (!id) { return null; }
    var el = document.getElementById(id);
    if (!el) { return null; }
    if (el.classList.contains("note")) {
      var body = el.querySelector(".note-body");
      var wrap = document.createElement("div");
      var kind = document.createElement("p");
      kind.className = "pop-kind";
      kind.textContent = el.getAttribute("aria-label") || "Note";
      wrap.appendChild(kind);
      if (body) {
        var copy = body.cloneNode(true);
        copy.removeAttribute("id");
        copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
        wrap.appendChild(copy);
      }
      return wrap;
    }
    var clone = el.cloneNode(true);
    clone.removeAttribute("id");
    clone.removeAttribute("role");
    return clone;
  }

  function place(trigger) {
    var r = trigger.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = window.scrollX + r.left;
    box.style.top = top + "px";
    box.style.left = "0px";
    var width = box.offsetWidth;
    var maxLeft = window.scrollX + document.documentElement.clientWidth - width - 8;
    box.style.left = Math.max(window.scrollX + 8, Math.min(left, maxLeft)) + "px";
  }

  function show(trigger) {
    if (!box) { return; }
    clearTimeout(hideTimer);
    if (current === trigger && !box.hidden) { return; }
    var content = templateFor(trigger);
    if (!content) { return; }
    box.replaceChildren(content);
    box.hidden = false;
    current = trigger;
    trigger.setAttribute("aria-expanded", "true");
    place(trigger);
  }

  function hide() {
    if (!box) { return; }
    box.hidden = true;
    if (current) { current.removeAttribute("aria-expanded"); }
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  if (box) {
    document.querySelectorAll("[data-pop]").forEach(function (trigger) {
      trigger.addEventListener("mouseenter", function () { show(trigger); });
      trigger.addEventListener("mouseleave", hideSoon);
      trigger.addEventListener("focus", function () { show(trigger); });
      trigger.addEventListener("blur", hideSoon);
      trigger.addEventListener("pointerdown", function (ev) {
        if (ev.pointerType === "touch") { touchOpened = current === trigger ? trigger : null; }
      });
      trigger.addEventListener("click", function (ev) {
        // A tap shows the popover first; a second tap follows the link.
        if (touchOpened !== trigger && window.matchMedia("(hover: none)").matches) {
          ev.preventDefault();
          touchOpened = trigger;
          show(trigger);
        }
      });
    });
    box.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("mouseleave", hideSoon);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { hide(); }
    });
    document.addEventListener("click", function (ev) {
      if (current && !box.contains(ev.target) && !current.contains(ev.target)) { hide(); }
    });
    window.addEventListener("resize", function () { if (current) { place(current); } });
  }

  /* Switches: the CSS also reacts to the checkboxes (:has), the classes serve older browsers. */
  document.querySelectorAll("[data-highlight]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hl-" + box.getAttribute("data-highlight"), box.checked);
    });
  });
  var source = document.getElementById("show-source");
  if (source) {
    source.addEventListener("change", function () {
      document.body.classList.toggle("show-source", source.checked);
    });
  }

  /* Arrival from a register: mark the mention of the entry inside the target block. */
  function markOccurrence() {
    document.querySelectorAll(".occurrence-mark").forEach(function (n) {
      n.classList.remove("occurrence-mark");
    });
    var params = new URLSearchParams(window.location.search);
    var key = params.get("hl");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!key || !id) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    target.querySelectorAll("[data-key]").forEach(function (n) {
      if (n.getAttribute("data-key") === key) { n.classList.add("occurrence-mark"); }
    });
  }
  markOccurrence();
  window.addEventListener("hashchange", markOccurrence);

  /* Cite this page: the address it was opened at (with the passage, when the address
     names a paragraph or note) and today's date. */
  function updateCitation() {
    document.querySelectorAll("[data-cite]").forEach(function (cite) {
      var url = cite.querySelector(".cite-url");
      var date = cite.querySelector(".cite-date");
      var page = window.location.href.split("#")[0].split("?")[0];
      var hash = window.location.hash;
      if (url) { url.textContent = page + (hash && document.getElementById(decodeURIComponent(hash.slice(1))) ? hash : ""); }
      if (date) {
        date.textContent = new Date().toLocaleDateString("en-GB", {
          day: "numeric", month: "long", year: "numeric"
        });
      }
    });
  }
  updateCitation();
  window.addEventListener("hashchange", updateCitation);
})();
