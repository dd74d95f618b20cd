// Proof Key for Code Exchange (RFC 7636, S256) for Cognito's authorization-code flow: the verifier stays in
// this tab; only its SHA-256 goes to the sign-in page, and the token endpoint checks the two match.
const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** 32 random bytes as base64url: 43 characters, within the RFC's 43–128. */
export const randomVerifier = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

export const challengeOf = async (verifier: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

/** The claims of a JWT, for display and for knowing when it expires; the API checks the signature. */
export const claimsOf = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1] ?? '';
  const binary = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))) as Record<string, unknown>;
};
