// The web negotiation form: the KPI type's criteria, and an autosave that never says "saved" when it is not.
//
// Every KPI form autosaves through htmx. What the officer types is kept in this browser's storage until the
// server has it, so a reload, a lost connection or an expired session loses nothing. Each outcome is shown:
// saving, saved, or not saved (network, session expired, form expired, refused, server error) with a retry.
// The form sends the plan's revision it was read at; a field someone changed since comes back as a conflict
// with both values, and the officer keeps one or merges them.
(function () {
  "use strict";

  function texts() {
    var el = document.getElementById("autosave");
    return el ? el.dataset : {};
  }

  // --- the KPI type's criteria --------------------------------------------------------------------------
  function sync(article) {
    var select = article.querySelector("select[name$='-kpi_type']");
    var type = select ? select.value : article.dataset.kpiType;
    article.dataset.kpiType = type;
    article.querySelectorAll("[data-only]").forEach(function (el) {
      el.hidden = el.dataset.only !== type;
    });
  }

  // --- fields with a problem are marked for assistive technology too --------------------------------------
  function markInvalid(root) {
    (root || document).querySelectorAll("span.field-error[id^='err-']").forEach(function (error) {
      var parts = error.id.split("-"); // err-<kpi>-<field>
      var input = document.querySelector("[name='k" + parts[1] + "-" + parts.slice(2).join("-") + "']");
      if (!input) return;
      if (error.textContent.trim()) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    markInvalid(document);
    // A field someone else changed, that this page had not touched: show their value, so it is not sent back.
    document.querySelectorAll("[data-refresh]").forEach(function (marker) {
      var input = document.querySelector("[name='" + marker.dataset.refresh + "']");
      if (input) input.value = marker.dataset.value;
      var form = input && input.form;
      marker.remove();
      if (form) keepDraft(form);
    });
  });

  // --- what is typed, kept until the server has it ---------------------------------------------------------
  // Drafts are this user's only: another officer on the same computer never gets them.
  function draftKey(form) {
    return "khamrap:draft:" + (texts().user || "") + ":" + form.getAttribute("action");
  }

  function fields(form) {
    var values = {};
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
      if (input.name === "csrfmiddlewaretoken" || input.name === "revision") return;
      values[input.name] = input.value;
    });
    return values;
  }

  function revisionInput(form) {
    return form.querySelector("input[name=revision]");
  }

  function keepDraft(form) {
    try {
      var revision = revisionInput(form);
      window.localStorage.setItem(
        draftKey(form),
        JSON.stringify({ revision: revision ? revision.value : "", fields: fields(form) })
      );
    } catch (e) {
      /* storage full or disabled: the page still holds the text */
    }
  }

  function dropDraftIfSent(form, sent) {
    try {
      var now = JSON.stringify(fields(form));
      if (now === sent) window.localStorage.removeItem(draftKey(form));
    } catch (e) {
      /* nothing to drop */
    }
  }

  function restoreDraft(form) {
    var raw;
    try {
      raw = window.localStorage.getItem(draftKey(form));
    } catch (e) {
      return false;
    }
    if (!raw) return false;
    var draft = JSON.parse(raw);
    var changed = false;
    Object.keys(draft.fields || {}).forEach(function (name) {
      var input = form.querySelector("[name='" + name + "']");
      if (input && input.value !== draft.fields[name]) {
        input.value = draft.fields[name];
        changed = true;
      }
    });
    if (!changed) {
      window.localStorage.removeItem(draftKey(form));
      return false;
    }
    // Saved against the revision the officer started from, so someone else's later change is not overwritten.
    var revision = revisionInput(form);
    if (revision && draft.revision) revision.value = draft.revision;
    return true;
  }

  // --- the status beside each KPI ---------------------------------------------------------------------------
  function statusOf(form) {
    return document.getElementById(form.dataset.status);
  }

  function show(form, state, message, retry) {
    var el = statusOf(form);
    if (!el) return;
    el.dataset.state = state;
    el.textContent = message;
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.retry = "";
      button.textContent = texts().retry;
      el.appendChild(document.createTextNode(" "));
      el.appendChild(button);
    }
  }

  var pendingLogin = [];
  var offlineTimer = null;

  function retry(form) {
    window.htmx.trigger(form, "retry");
  }

  function askToSignIn(form) {
    if (pendingLogin.indexOf(form) < 0) pendingLogin.push(form);
    var dialog = document.getElementById("relogin");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function signIn(dialog) {
    var form = dialog.querySelector("form");
    var error = dialog.querySelector("[data-relogin-error]");
    var body = new FormData();
    body.append("username", form.username.value);
    body.append("password", form.password.value);
    body.append("csrfmiddlewaretoken", csrfToken());
    var url = texts().loginUrl;
    window
      .fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } })
      .then(function (response) {
        var stayed = new URL(response.url).pathname === url;
        if (!response.ok || stayed) {
          error.textContent = texts().loginFailed;
          return;
        }
        error.textContent = "";
        form.password.value = "";
        dialog.close();
        var waiting = pendingLogin;
        pendingLogin = [];
        waiting.forEach(retry);
      })
      .catch(function () {
        error.textContent = texts().offline;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markInvalid(document);
    document.querySelectorAll("article.kpi").forEach(function (article) {
      sync(article);
      article.addEventListener("change", function (event) {
        if (event.target.name && event.target.name.endsWith("-kpi_type")) sync(article);
      });
    });
    document.querySelectorAll("form[data-kpi-form][hx-post]").forEach(function (form) {
      if (restoreDraft(form)) {
        show(form, "saving", texts().restored);
        window.setTimeout(function () {
          retry(form);
        }, 0);
      }
    });
    var dialog = document.getElementById("relogin");
    if (dialog) {
      dialog.querySelector("form").addEventListener("submit", function (event) {
        event.preventDefault();
        signIn(dialog);
      });
    }
  });

  // The token may change after signing in again (here or in another tab): always send the current one.
  // Django reads the form's own token before the header, so the form's hidden token is renewed too.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    if (event.detail.parameters && event.detail.verb !== "get") {
      event.detail.parameters["csrfmiddlewaretoken"] = token;
    }
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-kpi-form][hx-post]");
    if (form) keepDraft(form);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-kpi-form]")) return;
    keepDraft(form);
    form.dataset.sent = JSON.stringify(fields(form));
    show(form, "saving", texts().saving);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-kpi-form]")) return;
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.status) return; // a network failure: htmx:sendError says so
    var status = xhr.status;
    if (status >= 200 && status < 300) {
      var el = statusOf(form);
      if (el) el.dataset.state = el.querySelector("[data-conflict]") ? "conflict" : "saved";
      if (!(el && el.querySelector("[data-conflict]"))) dropDraftIfSent(form, form.dataset.sent);
      return;
    }
    var t = texts();
    if (status === 401) {
      show(form, "expired", t.expired);
      askToSignIn(form);
    } else if (status === 403) {
      show(form, "forbidden", t.forbidden, true);
    } else if (status === 409 || status === 400) {
      // A rule said no (the plan was submitted meanwhile…): its words, as the server sent them.
      var message = new DOMParser().parseFromString(xhr.responseText, "text/html").body.textContent.trim();
      show(form, "refused", t.refused + ": " + message);
    } else {
      show(form, "error", t.serverError, true);
    }
  });

  function offline(event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-kpi-form]")) return;
    show(form, "offline", texts().offline, true);
    if (!offlineTimer) {
      offlineTimer = window.setTimeout(function () {
        offlineTimer = null;
        document.querySelectorAll(".saved-indicator[data-state=offline]").forEach(function (el) {
          var waiting = document.querySelector("form[data-status='" + el.id + "']");
          if (waiting) retry(waiting);
        });
      }, 10000);
    }
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);

  // "Take the saved levels (reload)": the draft goes first, or the reload would bring it back.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-drop-draft]");
    if (!link) return;
    var status = link.closest(".saved-indicator");
    var form = status && document.querySelector("form[data-status='" + status.id + "']");
    if (form) window.localStorage.removeItem(draftKey(form));
  });

  // Retry, and the two choices of a conflict.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-retry], button[data-keep]");
    if (!button) return;
    var status = button.closest(".saved-indicator");
    var form = status && document.querySelector("form[data-status='" + status.id + "']");
    if (!form) return;
    if (button.dataset.keep) {
      var conflict = button.closest("[data-conflict]");
      var chosen = button.closest("[data-field]").dataset.field;
      // The chosen field takes the value chosen; every other field still in conflict takes the saved one,
      // so nothing the officer did not choose is written over someone else's change.
      conflict.querySelectorAll("[data-field]").forEach(function (row) {
        var field = row.dataset.field;
        var theirs = row.querySelector("button[data-keep=theirs]");
        if (field === chosen && button.dataset.keep === "mine") return;
        var input = form.querySelector("[name='k" + form.dataset.kpi + "-" + field + "']");
        if (input && theirs) input.value = theirs.dataset.value;
      });
      revisionInput(form).value = conflict.dataset.latestRevision;
      keepDraft(form);
    }
    retry(form);
  });
})();
