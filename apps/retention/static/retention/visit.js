/* The home-visit form (retention/visit_form.html), for a phone on a weak connection: what is typed is kept in the
   browser (localStorage, under the form's idempotency key) until the server has answered; a send that fails for
   want of a connection says so, keeps everything, and is sent again when the connection is back (or on the next
   tap). The key travels with every send: the server records one visit however many times it arrives. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-visit]");
  if (!form || !window.fetch) return;
  var store = "dentruong.visit." + form.getAttribute("data-keep-visit");
  var status = document.getElementById("visit-status");
  var fields = ["key", "on", "met", "findings", "actions", "next_on"];

  function say(text) { if (status) status.textContent = text; }
  function save() {
    var data = {};
    fields.forEach(function (name) { if (form.elements[name]) data[name] = form.elements[name].value; });
    try { localStorage.setItem(store, JSON.stringify(data)); } catch (e) { /* private mode: nothing kept */ }
  }
  try {
    var kept = JSON.parse(localStorage.getItem(store) || "null");
    if (kept) fields.forEach(function (name) { if (form.elements[name] && kept[name]) form.elements[name].value = kept[name]; });
  } catch (e) { /* nothing kept */ }
  form.addEventListener("input", save);

  var sending = false;
  function send() {
    if (sending) return;
    sending = true;
    save();
    say(form.getAttribute("data-sending"));
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        sending = false;
        if (response.ok && response.redirected) {
          try { localStorage.removeItem(store); } catch (e) { /* ignore */ }
          window.location.href = response.url;
          return;
        }
        form.submit();  // refused (nothing recorded): send it the plain way, and the page shows the server's errors
      })
      .catch(function () {
        sending = false;
        say(form.getAttribute("data-offline"));
      });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
  window.addEventListener("online", function () { if (status && status.textContent === form.getAttribute("data-offline")) send(); });
})();
