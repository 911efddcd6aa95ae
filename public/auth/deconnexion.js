// Sends the logout the portal prepared (src/auth/logout.rs) to the identity provider by POST.
//
// The portal cannot POST a form from its own page without adding a history entry; a form
// submitted while its page is still loading replaces that page's entry instead (HTML, "form
// submission"). So the portal writes the form's fields to sessionStorage and replaces itself with
// this page, which removes them at once and submits before it has finished loading: no ID token in
// any URL, and no extra history entry on a kiosk.
(function () {
  'use strict';
  var KEY = 'guichet.logout';
  var raw = null;
  try {
    raw = window.sessionStorage.getItem(KEY);
    window.sessionStorage.removeItem(KEY);
  } catch (e) {
    raw = null;
  }
  var plan = null;
  try {
    plan = JSON.parse(raw);
  } catch (e) {
    plan = null;
  }
  if (!plan || typeof plan.action !== 'string' || !/^https?:\/\//.test(plan.action) || !Array.isArray(plan.fields)) {
    window.location.replace('/');
    return;
  }
  var form = document.createElement('form');
  form.method = 'post';
  form.action = plan.action;
  plan.fields.forEach(function (field) {
    if (!Array.isArray(field) || typeof field[0] !== 'string' || typeof field[1] !== 'string') return;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = field[0];
    input.value = field[1];
    form.appendChild(input);
  });
  document.body.appendChild(form);
  form.submit();
}());
