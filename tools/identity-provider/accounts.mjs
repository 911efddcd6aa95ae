// Demo citizens of the identity provider. DONNÉES DE DÉMONSTRATION: invented people, realistic
// claims (OIDC standard claims, as FranceConnect provides through a broker). Password: `demo`.

export const DEMO_PASSWORD = 'demo';

export const ACCOUNTS = {
  'camille.martin': {
    sub: 'demo-camille-martin',
    given_name: 'Camille',
    family_name: 'Martin',
    birthdate: '1988-04-12',
    gender: 'female',
    email: 'camille.martin@example.fr',
    email_verified: true,
    phone_number: '+33 6 12 34 56 78',
    phone_number_verified: false,
    address: {
      formatted: '12 rue Louis Blanc, 45500 Gien, France',
      street_address: '12 rue Louis Blanc',
      postal_code: '45500',
      locality: 'Gien',
      country: 'France',
    },
  },
  'jean.lefebvre': {
    sub: 'demo-jean-lefebvre',
    given_name: 'Jean',
    family_name: 'Lefebvre',
    birthdate: '1951-09-30',
    gender: 'male',
    email: 'jean.lefebvre@example.fr',
    email_verified: true,
    phone_number: '+33 2 31 88 00 00',
    phone_number_verified: false,
    address: {
      formatted: '5 avenue de la République, 14800 Deauville, France',
      street_address: '5 avenue de la République',
      postal_code: '14800',
      locality: 'Deauville',
      country: 'France',
    },
  },
  // Two accounts for automated contract checks (`guichet-conformance`), so that what those checks
  // create never appears in the demo citizens' own demandes.
  'test.conformite.a': {
    sub: 'test-conformite-a',
    given_name: 'Alice',
    family_name: 'Essai',
    email: 'test.conformite.a@example.fr',
    email_verified: true,
  },
  'test.conformite.b': {
    sub: 'test-conformite-b',
    given_name: 'Bruno',
    family_name: 'Essai',
    email: 'test.conformite.b@example.fr',
    email_verified: true,
  },
};

const BY_SUB = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.sub, a]));

/** The account with this login and password, or undefined. */
export function authenticate(login, password) {
  const account = ACCOUNTS[String(login ?? '').trim().toLowerCase()];
  return account && password === DEMO_PASSWORD ? account : undefined;
}

/** oidc-provider's `findAccount`: claims by subject. */
export async function findAccount(_ctx, sub) {
  const account = BY_SUB[sub];
  if (!account) return undefined;
  return {
    accountId: sub,
    async claims() {
      return { ...account };
    },
  };
}
