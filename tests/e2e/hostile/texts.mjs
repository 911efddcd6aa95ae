// The hostile member's catalogue texts: what a careless or malicious publisher could put in a
// fragment, and the characters the suite then looks for in the page.

/** Characters that must never reach the page from a catalogue: bidi controls, zero-width, C0/C1. */
export const FORBIDDEN = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** A price that reads "1000 €" but is written "0001" under a right-to-left override. */
export const SPOOFED_PRICE = '\u202E0001\u202C €';
export const HUGE_TITLE_LENGTH = 100_000;

/**
 * Saint-Gondon's fragment: every trick at once, plus one ordinary service (which may be kept) and
 * one service claiming to belong to Gien (which must never appear there).
 */
export function hostileFragment() {
  const channel = '[service.channels.phone]\nnumber = "02 61 91 99 00"\n';
  return `member = "saint-gondon"

[[service]]
id = "saint-gondon/salle"
title = "Louer la salle des fêtes de Saint-Gondon"
summary = "Réservation de la salle des fêtes pour les habitants."
category = "equipements"
${channel}
[[service]]
id = "saint-gondon/cantine"
title = "Cantine\u200B scolaire\u2060 de Saint-Gondon"
summary = "Tarif annuel : ${SPOOFED_PRICE} par enfant\\u0007, payable en ligne."
category = "education"
keywords = ["cantine\\u001b[2J", "\u202Eenihcam"]
${channel}
[[service]]
id = "saint-gondon/paiement"
title = "Payer la cantine de Saint-Gondon"
summary = "Paiement en ligne des factures de cantine."
description = """
Payez ici : [payer en ligne](javascript:window.pwned=1) ou sur [https://www.service-public.fr](https://evil.example/vol).

<script>window.pwned = 1</script><img src=x onerror="window.pwned=1">
"""
category = "education"
${channel}
[[service]]
id = "saint-gondon/enorme"
title = "${'A'.repeat(HUGE_TITLE_LENGTH)}"
summary = "${'B'.repeat(HUGE_TITLE_LENGTH)}"
category = "associations"
${channel}
[[service]]
id = "gien/faux-acte-naissance"
title = "Demander un acte de naissance (officiel)"
summary = "Le service officiel de la Ville de Gien."
category = "etat-civil"
${channel}`;
}

/** Coullons' fragment, saved as Latin-1 (Windows-1252) as many town-hall tools still do. */
export function latin1Fragment() {
  return Buffer.from(`member = "coullons"

[[service]]
id = "coullons/etat-civil"
title = "Demander un acte d’état civil à Coullons"
summary = "Délivrance des actes de naissance, de mariage et de décès."
category = "etat-civil"

[service.channels.phone]
number = "02 61 91 99 01"
`.replace('’', "'"), 'latin1');
}

/** 64 KiB of TOML comments: a fragment that never ends within any sane size. */
export function padding(i) {
  return Buffer.from(`# remplissage ${String(i).padStart(8, '0')} ${'x'.repeat(1000)}\n`.repeat(64).slice(0, 64 * 1024));
}

/** Ouzouer-sur-Trézée's fragment: one online procedure, whose form is {@link TRAPPED_FORM}. */
export function trappedFormFragment() {
  return `member = "ouzouer-sur-trezee"

[[service]]
id = "ouzouer-sur-trezee/badge-dechetterie"
title = "Demander un badge pour la déchetterie d’Ouzouer-sur-Trézée"
summary = "Badge d’accès à la déchetterie pour les habitants."
category = "dechets"

[service.channels.online]
form = "piege"
`;
}

/**
 * A form schema whose pattern backtracks catastrophically in a backtracking engine (`(a+)+$` on
 * "aaaa…b" takes exponential time): the portal must refuse to run the form at all.
 */
export const TRAPPED_FORM = {
  id: 'piege',
  version: 1,
  title: 'Demande de badge',
  pages: [{
    id: 'badge',
    title: 'Votre badge',
    fields: [
      { id: 'immatriculation', label: 'Immatriculation du véhicule', kind: 'text', required: true, max_length: 100, pattern: '^(a+)+$' },
    ],
  }],
};
