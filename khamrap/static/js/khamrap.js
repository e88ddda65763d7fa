// Behaviour every page shares, kept out of the markup so the Content-Security-Policy allows no inline script.
(function () {
  // Signing out leaves no unsaved plan text in this browser.
  document.addEventListener("submit", function (event) {
    if (!event.target.matches || !event.target.matches("form[data-sign-out]")) return;
    try {
      Object.keys(window.localStorage)
        .filter(function (key) {
          return key.indexOf("khamrap:draft:") === 0;
        })
        .forEach(function (key) {
          window.localStorage.removeItem(key);
        });
    } catch (e) {
      /* storage disabled */
    }
  });

  // The header's menu on small screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (!toggle) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = !nav.classList.contains("open");
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // <form data-confirm="…">: ask before sending (deleting a KPI, a goal, an attachment…).
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset ? event.target.dataset.confirm : null;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // <input type="file" data-max-megabytes="20">: files over the page's limit are refused before they are sent
  // (the server refuses them too, but only after the browser has started sending).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-megabytes]")) return;
    var megabytes = Number(input.dataset.maxMegabytes);
    var total = 0;
    for (var i = 0; i < input.files.length; i++) total += input.files[i].size;
    var tooLarge = total > megabytes * 1024 * 1024;
    input.setCustomValidity(tooLarge ? document.body.dataset.fileTooLarge.replace("{mb}", megabytes) : "");
    if (tooLarge) input.reportValidity();
  });

  // <details hx-get=… data-load-failed="…">: a part loaded when opened says so when it cannot be loaded
  // (htmx swaps no error response), and loads again the next time it is opened.
  function loadFailed(event) {
    var source = event.detail.elt;
    if (!source.dataset || !source.dataset.loadFailed) return;
    var target = event.detail.target || source;
    target.textContent = "";
    var message = document.createElement("p");
    message.className = "field-error";
    message.setAttribute("role", "alert");
    message.textContent = source.dataset.loadFailed;
    target.appendChild(message);
    source.addEventListener("toggle", function again() {
      if (!source.open) return; // closing keeps the message; the next opening loads again
      source.removeEventListener("toggle", again);
      window.htmx.ajax("get", source.getAttribute("hx-get"), { source: source, target: target });
    });
  }
  document.addEventListener("htmx:responseError", loadFailed);
  document.addEventListener("htmx:sendError", loadFailed);
})();
