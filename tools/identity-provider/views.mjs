// The identity provider's pages, in French, accessible (labels, one h1, lang, visible focus), with
// no external resource. Everything interpolated is escaped.

export function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1e1e1e; background: #f4f6f9; line-height: 1.5; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: .5rem; border: 1px solid #d6dbe2; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; font: inherit; padding: .6rem; border: 2px solid #767676; border-radius: .375rem; margin-top: .25rem; }
  button { margin-top: 1.5rem; font: inherit; font-weight: 600; min-height: 2.75rem; padding: .5rem 1.5rem; border-radius: .375rem; border: 2px solid #1b4f8a; background: #1b4f8a; color: #fff; cursor: pointer; }
  :focus-visible { outline: 3px solid #0a76f6; outline-offset: 2px; }
  .error { border-left: .35rem solid #c9191e; background: #fdecec; padding: .75rem 1rem; }
  .note { background: #fff4e5; border-left: .35rem solid #a94700; padding: .75rem 1rem; font-size: .9rem; }
  .hint { color: #4d4d4d; font-size: .9rem; }
`;

export function page(title, body, { script = '' } = {}) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Compte Guichet (démonstration)</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${script}
</body>
</html>`;
}

/**
 * The kiosk login page's inactivity guard: any key, touch or pointer restarts the count; when it
 * runs out, the page leaves for `leaveTo` (the end-session endpoint, back to the portal's wipe).
 */
function kioskIdleScript({ idleSeconds, leaveTo }) {
  const seconds = Math.max(10, Math.floor(Number(idleSeconds) || 180));
  return `<script>(function(){var limit=${seconds}*1000,last=Date.now();
['pointerdown','keydown','touchstart','input','wheel'].forEach(function(e){addEventListener(e,function(){last=Date.now();},true);});
setInterval(function(){if(Date.now()-last>=limit){location.replace(${JSON.stringify(leaveTo).replace(/</g, '\\u003c')});}},1000);})();</script>`;
}

export function loginPage({ uid, error, login, kiosk }) {
  const errorBlock = error
    ? `<div class="error" role="alert" id="erreur"><p><strong>Connexion impossible :</strong> ${escape(error)}</p></div>`
    : '';
  return page('Connexion', `
<h1>Se connecter à Guichet</h1>
<p class="note">Fournisseur d’identité de démonstration. Comptes : <code>camille.martin</code> ou
<code>jean.lefebvre</code>, mot de passe <code>demo</code>. En production, ce rôle est tenu par un
service fédérant FranceConnect.</p>
${errorBlock}
<form method="post" action="/interaction/${escape(uid)}/login" novalidate>
  <label for="login">Identifiant</label>
  <input id="login" name="login" autocomplete="username" required value="${escape(login)}" ${error ? 'aria-describedby="erreur"' : ''}>
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Se connecter</button>
</form>
<p class="hint"><a href="/interaction/${escape(uid)}/abort">Annuler et revenir au guichet</a></p>
${kiosk ? `<p class="hint">Borne partagée : sans activité pendant ${Math.round(kiosk.idleSeconds / 60)} min, cette page se ferme et tout est effacé.</p>` : ''}`,
  { script: kiosk ? kioskIdleScript(kiosk) : '' });
}

export function logoutPage(form) {
  // The form comes from oidc-provider (hidden xsrf field). It is submitted at once: the portal asked
  // to end the session (sign-out, or a kiosk wiping itself); the button is there without JavaScript.
  return page('Déconnexion', `
<h1>Déconnexion en cours…</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Me déconnecter</button>`,
  { script: `<script>document.getElementById('op.logoutForm').insertAdjacentHTML('beforeend','<input type="hidden" name="logout" value="yes">');document.getElementById('op.logoutForm').submit();</script>` });
}

export function loggedOutPage() {
  return page('Déconnecté', '<h1>Vous êtes déconnecté</h1><p>Vous pouvez fermer cette page.</p>');
}

export function errorPage(out) {
  return page('Erreur', `<h1>La connexion n’a pas abouti</h1><div class="error" role="alert"><p>${escape(out.error_description || out.error)}</p></div>`);
}
